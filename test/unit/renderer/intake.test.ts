// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { carriesLink, isEditableTarget, linkFromTransfer, textFromPaste, type TransferLike } from '../../../renderer/src/screens/environments/intake';

const transfer = (data: Record<string, string>): TransferLike & { read: string[] } => {
  const read: string[] = [];
  return {
    read,
    types: Object.keys(data),
    getData: (type) => {
      read.push(type);
      return data[type] ?? '';
    },
  };
};

describe('which link a drop gives', () => {
  it('prefers text/uri-list, its first line that is not a comment', () => {
    const t = transfer({
      'text/uri-list': '# dragged from a browser\r\nhttps://github.com/o/r/pull/7\r\nhttps://github.com/o/other',
      'text/x-moz-url': 'https://github.com/o/moz\nTitle',
      'text/plain': 'https://github.com/o/plain',
    });
    expect(linkFromTransfer(t)).toBe('https://github.com/o/r/pull/7');
    expect(t.read).toEqual(['text/uri-list']);
  });

  it('then text/x-moz-url (URL, then title), then text/plain trimmed', () => {
    expect(linkFromTransfer(transfer({ 'text/x-moz-url': 'https://gitlab.com/g/p\nMy project', 'text/plain': 'x' }))).toBe('https://gitlab.com/g/p');
    expect(linkFromTransfer(transfer({ 'text/plain': '  https://dev.azure.com/o/p/_git/r \n' }))).toBe('https://dev.azure.com/o/p/_git/r');
    // A uri-list of comments only falls through to the next type.
    expect(linkFromTransfer(transfer({ 'text/uri-list': '# nothing\n', 'text/plain': 'git@github.com:o/r.git' }))).toBe('git@github.com:o/r.git');
  });

  it('gives nothing for files, empty text or no transfer', () => {
    expect(linkFromTransfer(transfer({ Files: '' }))).toBeNull();
    expect(linkFromTransfer(transfer({ 'text/plain': '   ' }))).toBeNull();
    expect(linkFromTransfer(null)).toBeNull();
  });

  it('reads the types case-insensitively', () => {
    const t = { types: ['Text/Plain'], getData: (type: string) => (type === 'text/plain' ? 'https://github.com/o/r' : '') };
    expect(linkFromTransfer(t)).toBe('https://github.com/o/r');
  });
});

describe('whether a drag carries a link', () => {
  it('is true for the link types, false for files alone or nothing', () => {
    expect(carriesLink({ types: ['text/uri-list'] })).toBe(true);
    expect(carriesLink({ types: ['text/x-moz-url'] })).toBe(true);
    expect(carriesLink({ types: ['Files', 'text/plain'] })).toBe(true);
    expect(carriesLink({ types: ['Files'] })).toBe(false);
    expect(carriesLink({ types: [] })).toBe(false);
    expect(carriesLink(null)).toBe(false);
  });
});

describe('what a paste gives', () => {
  it('is the plain text, trimmed, or nothing', () => {
    expect(textFromPaste(transfer({ 'text/plain': ' https://github.com/o/r\n' }))).toBe('https://github.com/o/r');
    expect(textFromPaste(transfer({ 'text/plain': '' }))).toBeNull();
    expect(textFromPaste(null)).toBeNull();
  });
});

describe('where paste behaves as usual', () => {
  const make = (html: string) => {
    document.body.innerHTML = html;
    return (selector: string) => document.querySelector(selector);
  };

  it('in text fields, text areas and contenteditable (and inside them)', () => {
    const $ = make('<input id="t" type="text"><input id="u" type="url"><input id="n"><textarea id="a"></textarea><div contenteditable="true"><span id="inner">x</span></div>');
    for (const id of ['#t', '#u', '#n', '#a', '#inner']) expect(isEditableTarget($(id)), id).toBe(true);
  });

  it('not on buttons, check boxes, radios, links, the body or nothing', () => {
    const $ = make('<button id="b">B</button><input id="c" type="checkbox"><input id="r" type="radio"><a id="l" href="#">L</a><div contenteditable="false"><span id="off">x</span></div>');
    for (const id of ['#b', '#c', '#r', '#l', '#off']) expect(isEditableTarget($(id)), id).toBe(false);
    expect(isEditableTarget(document.body)).toBe(false);
    expect(isEditableTarget(null)).toBe(false);
    expect(isEditableTarget(window)).toBe(false);
  });
});
