import { describe, expect, it } from 'vitest';
import { htmlSafe, logSafe, oneLine, quoted } from '../../../src/plan/untrusted-text.js';

describe('oneLine', () => {
  it.each([
    ['a\nb', 'a b'],
    ['a\r\n\r\nb', 'a b'],
    ['\t lead and trail \n', 'lead and trail'],
    ['a\u2028b\u2029c', 'a b c'],
    ['nul\u0000and bell\u0007', 'nul and bell'],
    ['plain', 'plain'],
  ])('%j → %j', (text, expected) => {
    expect(oneLine(text)).toBe(expected);
  });
});

describe('logSafe never lets a log line carry a workflow command', () => {
  it.each([
    ['::error::pwned', ': :error::pwned'],
    ['   ::add-mask::x', ': :add-mask::x'],
    ['ok\n::set-output name=a::b', 'ok ::set-output name=a::b'],
    ['reason ##[error]boom', 'reason # #[error]boom'],
    ['##[group]a ##[endgroup]', '# #[group]a # #[endgroup]'],
    ['0x01000000: 0xfffffffe', '0x01000000: 0xfffffffe'],
  ])('%j → %j', (text, expected) => {
    const safe = logSafe(text);
    expect(safe).toBe(expected);
    expect(safe).not.toMatch(/^\s*::|##\[|\n/);
  });
});

describe('htmlSafe', () => {
  it('escapes markup and quotes, on one line', () => {
    expect(htmlSafe(`<img src=x onerror="alert('1')">\n&amp;`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp;amp;',
    );
  });
});

describe('quoted', () => {
  it('quotes on one line', () => {
    expect(quoted('two\nlines')).toBe('"two lines"');
  });
});
