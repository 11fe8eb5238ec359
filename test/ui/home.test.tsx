import React from 'react';
import { describe, expect, it } from 'vitest';
import { HomeApp } from '../../src/ui/home-app.js';
import { KEYS, renderUi } from '../helpers/render.js';

const choices = [{ value: 'new', label: 'New' }, { value: 'drill', label: 'Drill' }, { value: 'quit', label: 'Quit' }];

describe('home screen', () => {
  it('a digit and enter in one chunk (tmux, paste) pick that choice', async () => {
    const picked: (string | undefined)[] = [];
    const ui = renderUi(<HomeApp choices={choices} onChoose={(v) => picked.push(v)} />);
    await ui.waitFor((f) => f.includes('1. New'));
    await ui.press('2\r');
    expect(picked).toEqual(['drill']);
  });

  it('arrows move, enter picks, q leaves without a choice', async () => {
    const picked: (string | undefined)[] = [];
    const ui = renderUi(<HomeApp choices={choices} onChoose={(v) => picked.push(v)} />);
    await ui.waitFor((f) => f.includes('1. New'));
    await ui.press(KEYS.down);
    await ui.press(KEYS.down);
    await ui.press(KEYS.enter);
    expect(picked).toEqual(['quit']);
    const other = renderUi(<HomeApp choices={choices} onChoose={(v) => picked.push(v)} />);
    await other.waitFor((f) => f.includes('1. New'));
    await other.press('q');
    expect(picked).toEqual(['quit', undefined]);
  });
});
