import avro from 'avsc';
import { PoisonMessageError, type Stage } from '../core';
import { frameAvro } from './confluent-frame';

/** Writes records of one schema, raw or Confluent-framed with the schema's registry id. */
export class RecordWriter {
  constructor(
    private readonly type: avro.Type,
    /** Registry id of `type`; undefined = raw Avro. */
    private readonly schemaId: number | undefined,
    private readonly stage: Stage,
  ) {}

  write(record: unknown): Buffer {
    // avsc writes whatever it is given as fast as it can; a value of the wrong shape can come out as
    // wrong bytes instead of an exception, so check first (cheap next to the model run).
    const invalidPaths: string[] = [];
    if (!this.type.isValid(record, { errorHook: (path) => invalidPaths.push(path.join('.')) })) {
      throw new PoisonMessageError(
        'UNENCODABLE_OUTPUT',
        `record does not match ${this.type.name}: invalid ${invalidPaths.join(', ')}`,
        {
          stage: this.stage,
        },
      );
    }
    const payload = this.type.toBuffer(record);
    return this.schemaId === undefined ? payload : frameAvro(this.schemaId, payload);
  }
}
