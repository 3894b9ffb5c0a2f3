import { createContext, useContext } from 'react';
import type { Api } from './api/client.ts';
import type { Auth } from './auth/auth.ts';
import type { Claims } from './auth/jwt.ts';
import type { Connection } from './live/live-feed.ts';
import type { CommandQueue } from './offline/command-queue.ts';
import type { Command } from './offline/commands.ts';

export interface Toast {
  readonly id: number;
  readonly message: string;
  readonly undo?: Command;
}

export interface AppServices {
  readonly api: Api;
  readonly auth: Auth;
  readonly claims: Claims;
  readonly queue: CommandQueue;
  readonly connection: Connection;
  /** Queues a command; with `undo`, offers the inverse for a few seconds. */
  readonly send: (command: Command, toast?: { message: string; undo?: Command }) => void;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp outside the signed-in app');
  return services;
}
