// The API key never appears in a message, a log line or an error: every string that leaves the
// core through a log or an error passes through `maskSecrets`.

const KEY_PATTERN = /console-[A-Za-z0-9_-]{4,}/g;

/** Replaces each secret, and anything shaped like a Console API key, with a fixed mask. */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join(maskOf(s));
  }
  return out.replace(KEY_PATTERN, (k) => maskOf(k));
}

/** `console-abc…` → `console-***`: keeps the kind of key visible, never any of its secret part. */
export function maskOf(secret: string): string {
  return secret.startsWith('console-') ? 'console-***' : '***';
}
