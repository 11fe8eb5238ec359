/**
 * The narrow view of S3 the log reader needs. The SDK implementation lives in
 * src/aws/sdk/s3-log-store.ts; tests can pass an in-memory one.
 */

export interface LogObject {
  key: string;
  size: number;
}

export interface LogObjectStore {
  readonly bucket: string;
  /** Every object under `prefix`, following continuation tokens. */
  list(prefix: string): AsyncIterable<LogObject>;
  /** The next path segments under `prefix` (ListObjectsV2 with Delimiter '/'), each ending in '/'. */
  listPrefixes(prefix: string): Promise<string[]>;
  get(key: string): Promise<NodeJS.ReadableStream>;
}
