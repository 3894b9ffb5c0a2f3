import { Gauge, type Registry } from 'prom-client';

/**
 * `todo_service_info`: which Todo service and transport this process runs. The label is `todo_service`,
 * not `service`, because Prometheus Operator puts its own `service` (the Kubernetes Service) on every target.
 */
export function serviceInfo(registry: Registry, labels: { todo_service: string; transport: string }): void {
  new Gauge({
    name: 'todo_service_info', help: 'Always 1; the labels name the service and the transport this process runs',
    labelNames: ['todo_service', 'transport'] as const, registers: [registry],
  }).set(labels, 1);
}
