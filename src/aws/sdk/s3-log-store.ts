/** LogObjectStore over the S3 SDK: ListObjectsV2 (paged) and GetObject, nothing else. */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { LogObject, LogObjectStore } from '../../logs/log-object-store.js';
import { resolveClientConfig, resolveRegion, s3ClientConfig, type SdkOptions } from './client-config.js';

export interface S3LogStoreOptions extends SdkOptions {
  bucket: string;
  /** For tests: a ready client. */
  client?: S3Client;
}

export function createS3Client(opts: SdkOptions = {}): S3Client {
  // Listing works from any region once redirects are followed; us-east-1 is only the start.
  const region = resolveRegion(opts) ?? 'us-east-1';
  const config = s3ClientConfig(resolveClientConfig({ ...opts, region }));
  return new S3Client({ ...config, followRegionRedirects: true });
}

export function createS3LogStore(opts: S3LogStoreOptions): LogObjectStore {
  const client = opts.client ?? createS3Client(opts);
  const bucket = opts.bucket;
  return {
    bucket,
    async *list(prefix: string): AsyncIterable<LogObject> {
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) {
          if (o.Key) yield { key: o.Key, size: o.Size ?? 0 };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    async listPrefixes(prefix: string): Promise<string[]> {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
        for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
    async get(key: string): Promise<NodeJS.ReadableStream> {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!res.Body) throw new Error(`s3://${bucket}/${key} has no body`);
      // In Node the body is an http.IncomingMessage, a Readable.
      return res.Body as unknown as NodeJS.ReadableStream;
    },
  };
}
