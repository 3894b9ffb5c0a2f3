import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

/*
 * The sidecar's redelivery never gives up on a message (docs/adr/0024): a subscriber answers RETRY only for
 * a state that passes — its database away, its process down, a rebuild — and dead-letters a poison event
 * itself. A bounded redelivery would skip, silently and for good, every message that met an outage longer
 * than its budget. Every Kafka pub/sub component we ship says so, for every cluster.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMPONENTS = `${ROOT}dapr-components`;

interface Component { kind?: string; metadata?: { name?: string }; spec?: { type?: string; metadata?: Array<{ name: string; value?: unknown }> } }

function kafkaComponents(): Array<{ where: string; settings: Map<string, unknown> }> {
  return readdirSync(COMPONENTS).flatMap((cluster) => {
    const documents = parseAllDocuments(readFileSync(`${COMPONENTS}/${cluster}/pubsub.yaml`, 'utf8')).map((d) => d.toJS() as Component | null);
    return documents.filter((d): d is Component => d?.kind === 'Component' && d.spec?.type === 'pubsub.kafka').map((component) => ({
      where: `${cluster}/${component.metadata?.name ?? '?'}`,
      settings: new Map((component.spec?.metadata ?? []).map((item) => [item.name, item.value])),
    }));
  });
}

describe('the Kafka pub/sub components', () => {
  const components = kafkaComponents();

  it('are found for every cluster', () => {
    expect(components.length).toBeGreaterThanOrEqual(readdirSync(COMPONENTS).length);
  });

  it('redeliver a message the app answers RETRY for until it answers otherwise, with a backoff that stops growing', () => {
    for (const { where, settings } of components) {
      expect(settings.get('backOffMaxRetries'), where).toBe('-1');
      // An exponential backoff also gives up after its elapsed-time limit (15 min unless set): none.
      if (settings.get('backOffPolicy') === 'exponential') {
        expect(settings.get('backOffMaxElapsedTime'), where).toBe('0s');
        expect(settings.get('backOffMaxInterval'), where).toMatch(/^\d+s$/);
      }
    }
  });

  it('are rendered so by the Helm chart', () => {
    const values = readFileSync(`${ROOT}helm/todo/values.yaml`, 'utf8');
    expect(values).toMatch(/^\s+backOffMaxRetries: "-1"$/m);
    const template = readFileSync(`${ROOT}helm/todo/templates/dapr-components.yaml`, 'utf8');
    const components = template.split(/^---$/m).filter((part) => part.includes('type: pubsub.kafka'));
    expect(components).toHaveLength(2);
    for (const component of components) expect(component).toContain('{ name: backOffMaxElapsedTime, value: "0s" }');
  });
});
