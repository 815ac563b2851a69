import { useEffect, useState } from 'preact/hooks';

export class ApiError extends Error {}

/** GETs one of the dashboard's JSON endpoints; the server's own message on failure. */
export async function getJson<T>(path: string, params: Record<string, string> = {}): Promise<T> {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(query ? `${path}?${query}` : path);
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new ApiError(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

/** Where the page shows an object's bytes (an image preview, a download). */
export const bodyUrl = (bucket: string, key: string) => `/api/body?${new URLSearchParams({ bucket, key }).toString()}`;

/** Puts a file in a bucket through the dev process's S3 client: the pipelines it matches start as for any upload. */
export async function uploadFile(bucket: string, key: string, file: File): Promise<{ bucket: string; key: string; size: number }> {
  const response = await fetch(`/api/upload?${new URLSearchParams({ bucket, key }).toString()}`, {
    method: 'POST',
    headers: { 'content-type': file.type || 'application/octet-stream' },
    body: file,
  });
  const body = (await response.json()) as { bucket: string; key: string; size: number; error?: string };
  if (!response.ok) throw new ApiError(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
}

/** Fetches again whenever `deps` change (a new run arrived, another bucket was chosen); keeps the last data while it does. */
export function useJson<T>(path: string | undefined, params: Record<string, string>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined });
  useEffect(() => {
    if (!path) return;
    let current = true;
    getJson<T>(path, params).then(
      (data) => current && setState({ data, error: undefined }),
      (error: unknown) => current && setState((last) => ({ data: last.data, error: error instanceof Error ? error.message : String(error) })),
    );
    return () => {
      current = false;
    };
  }, [path, JSON.stringify(params), ...deps]);
  return state;
}
