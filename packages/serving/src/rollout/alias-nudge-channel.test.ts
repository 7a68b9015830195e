import { describe, expect, it } from 'vitest';
import { aliasNudgeChannel } from './deploy-events.js';

describe('aliasNudgeChannel', () => {
  it('keeps the stacks of one Redis apart by their prefix, and the default prefix keeps the old channel', () => {
    expect(aliasNudgeChannel('myelin')).toBe('myelin:serving:alias-moved');
    expect(aliasNudgeChannel('team-a')).toBe('team-a:serving:alias-moved');
    expect(aliasNudgeChannel('team-a')).not.toBe(aliasNudgeChannel('team-b'));
  });
});
