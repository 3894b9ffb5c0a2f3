import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../contracts/openapi.ts';
import { publishedOpenApiDocument } from '../generate-contracts.ts';

interface Operation { operationId: string; responses: Record<string, { links?: Record<string, { operationId: string; parameters: Record<string, string> }> }> }

/*
 * The links of the document are what stateful clients (and the fuzzer's stateful phase) follow: from the id
 * a create answers to every operation on one task.
 */
describe('the OpenAPI document\'s links', () => {
  it('lead from a created task\'s id to every operation on one task', async () => {
    const document = await publishedOpenApiDocument() as { paths: Record<string, Record<string, Operation>> };
    const links = document.paths['/api/tasks']?.['post']?.responses['201']?.links ?? {};
    expect(Object.values(links).map((link) => link.operationId).sort()).toEqual([
      'completeTask', 'deleteTask', 'getTask', 'getTaskHistory', 'getTaskOccurrences', 'getTaskState', 'reopenTask', 'updateTask',
    ]);
    const onOneTask = Object.values(document.paths).flatMap((operations) => Object.values(operations)).map((operation) => operation.operationId);
    for (const link of Object.values(links)) {
      expect(onOneTask).toContain(link.operationId);
      expect(link.parameters).toEqual({ id: '$response.body#/task_id' });
    }
  });

  it('refuse to name an operation the document does not have', () => {
    expect(() => buildOpenApiDocument([{
      method: 'POST', url: '/things', secured: true,
      documentation: { operationId: 'createThing', summary: 'Create', tags: [], responses: { 201: { description: 'Made', links: { Get: { operationId: 'getThing', description: 'Read it', parameters: { id: '$response.body#/id' } } } } } },
    }])).toThrow(/names no operation: getThing/);
  });
});
