import pino from 'pino';
import { closeInOrder } from '../../../src/core/ordered-close';

test('runs every cleanup in order even when one fails, and reports the failure', async () => {
  const ran: string[] = [];
  const clean = await closeInOrder(
    [
      { name: 'consumer', close: async () => void ran.push('consumer') },
      {
        name: 'producer',
        close: async () => {
          ran.push('producer');
          throw new Error('already gone');
        },
      },
      { name: 'model', close: async () => void ran.push('model') },
    ],
    pino({ level: 'silent' }),
  );
  expect(ran).toEqual(['consumer', 'producer', 'model']);
  expect(clean).toBe(false);
});
