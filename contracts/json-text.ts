import type { FastifyReply } from 'fastify';

declare const jsonOf: unique symbol;

/**
 * Text that is the JSON of a `T`: what `JSON.stringify` made of one, or what the functions below put
 * together from such texts. A route that answers with text it holds already (a stored rendering) sends it
 * as it is, and the type says what the text is the JSON of.
 */
export type JsonText<T> = string & { readonly [jsonOf]: T };

export function jsonText<T>(value: T): JsonText<T> {
  return JSON.stringify(value) as JsonText<T>;
}

/** The JSON array of the items, in order. */
export function jsonArray<T>(items: readonly JsonText<T>[]): JsonText<T[]> {
  return `[${items.join(',')}]` as JsonText<T[]>;
}

/** The JSON object of the members, in the order given (as JSON.stringify of such an object would write them). */
export function jsonObject<T extends object>(members: { readonly [K in keyof T & string]: JsonText<T[K]> }): JsonText<T> {
  const parts: string[] = [];
  for (const [key, value] of Object.entries<string>(members)) parts.push(`${JSON.stringify(key)}:${value}`);
  return `{${parts.join(',')}}` as JsonText<T>;
}

/** Answers with JSON text as it is, with the content type fastify gives a serialised object. */
export function sendJsonText<T>(reply: FastifyReply, text: JsonText<T>): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}
