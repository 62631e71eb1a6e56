import { describe, expect, it, vi } from 'vitest';
import { findTool } from './tools.js';

describe('findTool', () => {
  it('finds an executable on PATH', () => {
    expect(findTool('sh', 'a suite', { PATH: '/nonexistent:/bin:/usr/bin' })).toMatch(/\/sh$/);
  });

  it('skips loudly on a developer machine without the tool', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(findTool('no-such-tool', 'the X suite', { PATH: '/nonexistent' })).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^SKIPPING the X suite: `no-such-tool` is not on PATH/),
    );
    warn.mockRestore();
  });

  it('fails under CI=true instead of skipping', () => {
    expect(() => findTool('no-such-tool', 'the X suite', { PATH: '/nonexistent', CI: 'true' })).toThrow(
      'the X suite cannot run: `no-such-tool` is not on PATH, and CI=true does not allow skipping it.',
    );
  });
});
