// Values the user explicitly let through — "Send anyway" on a warning, "Ignore once" on a finding —
// so neither the highlights nor the wire guard stop them again for this message. Bounded in number,
// size and time, and forgotten once the message has been sent.

export const MAX_APPROVALS = 256;
export const MAX_VALUE_LENGTH = 65_536;
export const APPROVAL_TTL_MS = 10 * 60_000;

export class Approvals {
  private readonly values = new Map<string, number>(); // value → expiry time

  constructor(private readonly now: () => number = Date.now) {}

  add(value: string): void {
    if (!value || value.length > MAX_VALUE_LENGTH) return;
    this.values.delete(value);
    this.values.set(value, this.now() + APPROVAL_TTL_MS);
    while (this.values.size > MAX_APPROVALS) {
      const oldest = this.values.keys().next().value;
      if (oldest === undefined) break;
      this.values.delete(oldest);
    }
  }

  has(value: string): boolean {
    const expiry = this.values.get(value);
    if (expiry === undefined) return false;
    if (expiry < this.now()) {
      this.values.delete(value);
      return false;
    }
    return true;
  }

  list(): string[] {
    return [...this.values.keys()].filter((v) => this.has(v));
  }

  /** The message went out: its approvals are spent. */
  clear(): void {
    this.values.clear();
  }
}
