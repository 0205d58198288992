import avro from 'avsc';
import { PoisonMessageError } from '../core';
import { decodeExactly } from './avro-payload';
import { FRAME_HEADER_BYTES, MAGIC_BYTE, parseFrame } from './confluent-frame';
import { planFor, type ReadPlan } from './read-plan';
import type { RegistryClient } from './registry-client';

/** Turns one Kafka value into one decoded Avro record (reader-schema shape), or throws poison/transient. */
export interface RecordReader {
  read(value: Buffer): Promise<unknown>;
}

/** Raw mode: plain Avro written with one known writer schema (the reader's own unless configured). */
export class RawRecordReader implements RecordReader {
  private readonly plan: ReadPlan;

  constructor(readers: readonly avro.Type[], writerType: avro.Type) {
    this.plan = planFor(readers, writerType, writerType.name ?? 'writer');
  }

  async read(value: Buffer): Promise<unknown> {
    try {
      return decodeExactly(this.plan, value);
    } catch (error) {
      throw this.confluentFrameInRawMode(value) ?? error;
    }
  }

  // A producer using the registry while this worker does not: say so instead of "truncated".
  private confluentFrameInRawMode(value: Buffer): PoisonMessageError | undefined {
    if (value.length <= FRAME_HEADER_BYTES || value[0] !== MAGIC_BYTE) return undefined;
    try {
      decodeExactly(this.plan, value.subarray(FRAME_HEADER_BYTES));
    } catch {
      return undefined;
    }
    return new PoisonMessageError(
      'WRONG_SCHEMA',
      `value is in the Confluent wire format (schema id ${value.readInt32BE(1)}) but SCHEMA_REGISTRY_URL is not set (raw Avro mode)`,
    );
  }
}

/**
 * Confluent mode: each value names its writer schema by registry id. Plans are cached per id; an id whose
 * schema cannot be read as ours stays cached as WRONG_SCHEMA (schemas under an id never change), while
 * outages and unknown ids are asked again next time.
 */
export class ConfluentRecordReader implements RecordReader {
  private readonly plans = new Map<number, Promise<ReadPlan>>();

  constructor(
    private readonly readers: readonly avro.Type[],
    private readonly registry: RegistryClient,
  ) {}

  async read(value: Buffer): Promise<unknown> {
    const { schemaId, payload } = parseFrame(value);
    const plan = await this.planForId(schemaId);
    return decodeExactly(plan, payload);
  }

  private planForId(schemaId: number): Promise<ReadPlan> {
    let plan = this.plans.get(schemaId);
    if (plan === undefined) {
      plan = this.registry
        .writerType(schemaId)
        .then((writerType) => planFor(this.readers, writerType, `id ${schemaId}`));
      this.plans.set(schemaId, plan);
      plan.catch((error: unknown) => {
        if (!(error instanceof PoisonMessageError && error.code === 'WRONG_SCHEMA'))
          this.plans.delete(schemaId);
      });
    }
    return plan;
  }
}
