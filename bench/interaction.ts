export const isInteraction = (name: string) => name === 'interaction';
export async function interactionMain(_argv: string[]): Promise<void> { throw new Error('todo'); }
