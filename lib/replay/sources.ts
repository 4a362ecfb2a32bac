// Where failed batches are stored: local mode's folder, or the on-failure S3 bucket on AWS.
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type FailedBatch, parseFailedBatch } from './failed-batch.ts';
import type { FailedBatchSource } from './replay.ts';

/** Replayed batches are kept, moved aside, so that a replay can always be audited. */
export const REPLAYED_FOLDER = 'replayed';

/** `.local/failed-batches/*.json`; replayed files move to `.local/failed-batches/replayed/`. */
export function localFailedBatches(dataDir: string): FailedBatchSource {
  const folder = path.join(dataDir, 'failed-batches');
  return {
    location: folder,
    async load() {
      let names: string[];
      try {
        names = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { batches: [], unreadable: [] };
        throw error;
      }
      const batches: FailedBatch[] = [];
      const unreadable: string[] = [];
      for (const name of names) {
        const file = path.join(folder, name);
        const batch = parseFailedBatch(file, await readFile(file, 'utf8'));
        if (batch) batches.push(batch);
        else unreadable.push(file);
      }
      return { batches, unreadable };
    },
    async markReplayed(batch) {
      await mkdir(path.join(folder, REPLAYED_FOLDER), { recursive: true });
      await rename(batch.id, path.join(folder, REPLAYED_FOLDER, path.basename(batch.id)));
    },
  };
}

/**
 * The consumer's S3 on-failure destination. Lambda writes one object per failed invocation; replayed
 * objects move under `replayed/` (copy, then delete) and are skipped by later runs.
 */
export function s3FailedBatches(s3: S3Client, bucket: string, prefix = ''): FailedBatchSource {
  return {
    location: `s3://${bucket}/${prefix}`,
    async load() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key && !object.Key.startsWith(`${REPLAYED_FOLDER}/`)) keys.push(object.Key);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      const batches: FailedBatch[] = [];
      const unreadable: string[] = [];
      for (const key of keys) {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const batch = parseFailedBatch(key, (await object.Body?.transformToString('utf-8')) ?? '');
        if (batch) batches.push(batch);
        else unreadable.push(key);
      }
      return { batches, unreadable };
    },
    async markReplayed(batch) {
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: `${REPLAYED_FOLDER}/${batch.id}`,
          CopySource: `${bucket}/${encodeURIComponent(batch.id).replace(/%2F/g, '/')}`,
        }),
      );
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: batch.id }));
    },
  };
}
