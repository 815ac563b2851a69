/** The first line of a sharp/libvips error message, without the trailing newline libvips adds. */
export function sharpReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split('\n')[0] ?? message;
}
