// The click event that travels through the stream. Kept tiny: the consumer only needs the code.
export interface ClickEvent {
  /** Format version, so the consumer can tell old records from new ones after a change. */
  v: 1;
  link: string;
  /** ISO-8601 time of the redirect. */
  at: string;
}
