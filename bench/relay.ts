export interface RelayResult { readonly todo: true }
export async function measureRelay(log: (line: string) => void): Promise<RelayResult> { log('relay: todo'); return { todo: true }; }
export function renderRelay(_r: RelayResult): string { return 'todo'; }
