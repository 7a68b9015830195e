import { describe, expect, it } from 'vitest';
import { parseRunStreamEnd, parseStreamedRunEvent } from './stream-messages.js';

// The messages as the route documents them (run-events-route.ts): each `data:` line a stored
// event `{ id, runId, type, ts, payload }`, the last one `event: end` with the run's outcome.

describe('run event stream messages', () => {
  it('reads an event and keeps its payload as sent', () => {
    const e = parseStreamedRunEvent(
      '{"id":7,"runId":"r-01jabc","type":"epoch","ts":1733600000000,"payload":{"epoch":2,"metrics":{"loss":0.4}}}',
    );
    expect(e).toEqual({
      id: 7,
      runId: 'r-01jabc',
      type: 'epoch',
      ts: 1733600000000,
      payload: { epoch: 2, metrics: { loss: 0.4 } },
    });
  });

  it('reads the end message of a failed run and of a succeeded one', () => {
    expect(
      parseRunStreamEnd(
        '{"runId":"r-1","status":"failed","exitCode":1,"error":{"code":"MYELIN_ERR_GATE_FAILED","message":"accuracy 0.7 < 0.8"},"lastEventId":12}',
      ),
    ).toEqual({
      runId: 'r-1',
      status: 'failed',
      exitCode: 1,
      error: { code: 'MYELIN_ERR_GATE_FAILED', message: 'accuracy 0.7 < 0.8' },
      lastEventId: 12,
    });
    expect(
      parseRunStreamEnd('{"runId":"r-1","status":"succeeded","exitCode":null,"error":null,"lastEventId":3}'),
    ).toMatchObject({ status: 'succeeded', exitCode: null, error: null });
  });

  it("refuses a message that is not the API's, naming what is wrong", () => {
    expect(() => parseStreamedRunEvent('<html>')).toThrow(/an event that is not JSON/);
    expect(() => parseStreamedRunEvent('{"id":"7","runId":"r","type":"x","ts":1}')).toThrow(/no number "id"/);
    expect(() => parseRunStreamEnd('{"runId":"r","status":"exploded","lastEventId":1}')).toThrow(
      /no run status/,
    );
    expect(() =>
      parseRunStreamEnd('{"runId":"r","status":"failed","error":{"code":1},"lastEventId":1}'),
    ).toThrow(/error that has no string "code"/);
  });
});
