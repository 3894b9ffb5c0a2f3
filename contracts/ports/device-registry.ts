/** The push addresses of users, as the reminder scheduler needs them (write-side/devices keeps them). */
export interface DeviceRegistry {
  tokensOf(userId: string): Promise<string[]>;
  /** Forgets tokens the push provider reported invalid; answers how many were removed. */
  forget(userId: string, tokens: readonly string[]): Promise<number>;
}
