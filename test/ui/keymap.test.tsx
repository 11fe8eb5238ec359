import React from 'react';
import { describe, expect, it } from 'vitest';
import { choiceKeys } from '../../src/ui/choice-list.js';
import { HomeApp } from '../../src/ui/home-app.js';
import { KEYMAP, actionFor, footerFor, helpFor, type KeyContext } from '../../src/ui/keymap.js';
import { renderUi } from '../helpers/render.js';

const CONTEXTS: KeyContext[] = ['home', 'choices', 'typing', 'running', 'mitigate', 'hypotheses', 'done', 'briefing', 'verdict'];

describe('one keymap for input, help and footer', () => {
  it('in each context a key means one action: no two bindings of a context catch the same key', () => {
    const samples: [string, Record<string, boolean>][] = [['k', {}], ['j', {}], ['', { upArrow: true }], ['', { downArrow: true }], ['', { return: true }], ['', { escape: true }], ['b', {}], ['c', {}], ['n', {}], ['n', { ctrl: true }], ['?', {}], ['q', {}], ['s', {}], ['e', {}], ['a', {}]];
    for (const ctx of CONTEXTS) {
      for (const [input, key] of samples) {
        const hits = new Set(KEYMAP.filter((b) => b.contexts.includes(ctx) && b.matches(input, key)).map((b) => b.action));
        expect(hits.size, `${ctx}: ${JSON.stringify([input, key])} → ${[...hits].join(', ')}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('the footer and the help are written from the table', () => {
    expect(footerFor('choices')).toBe('↑↓ move · enter choose · c copy · b back · n note · ? help · q quit (saved)');
    expect(footerFor('choices', { drill: true })).toContain('a name the cause');
    expect(footerFor('typing')).toBe('enter submit · esc back · ctrl+n note · ctrl+c quit (saved)');
    for (const ctx of CONTEXTS) for (const h of helpFor([ctx])) expect(KEYMAP.some((b) => b.keys === h.keys && b.help === h.help)).toBe(true);
    expect(actionFor('typing', 'q', {})).toBeUndefined();
    expect(actionFor('choices', 'q', {})).toBe('quit');
    expect(actionFor('verdict', 'k', {})).toBeUndefined();
  });

  it('the shared choice list: arrows wrap, a digit moves, "2\\r" in one chunk picks and chooses', () => {
    expect(choiceKeys('home', '', { upArrow: true }, 0, 3)).toEqual({ cursor: 2 });
    expect(choiceKeys('home', 'j', {}, 2, 3)).toEqual({ cursor: 0 });
    expect(choiceKeys('home', '2', {}, 0, 3)).toEqual({ cursor: 1 });
    expect(choiceKeys('home', '2\r', {}, 0, 3)).toEqual({ cursor: 1, choose: 1 });
    expect(choiceKeys('home', '9', {}, 0, 3)).toBeUndefined();
  });

  it('? works on the home screen, and its keys come from the table', async () => {
    const chosen: (string | undefined)[] = [];
    const ui = renderUi(<HomeApp choices={[{ value: 'new', label: 'New incident' }, { value: 'resume', label: 'Resume' }]} onChoose={(v) => chosen.push(v)} />);
    await ui.waitFor((f) => f.includes('New incident'));
    expect(ui.frame()).toContain(footerFor('home'));
    await ui.press('?');
    await ui.waitFor((f) => f.includes('Keys'));
    for (const h of helpFor(['home'])) expect(ui.frame()).toContain(h.help);
    await ui.press('x');
    await ui.waitFor((f) => f.includes('New incident'));
    await ui.press('2\r');
    expect(chosen).toEqual(['resume']);
  });
});
