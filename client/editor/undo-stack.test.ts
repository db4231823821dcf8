import { describe, expect, it } from 'vitest';
import { UndoStack, UndoStacks } from './undo-stack.ts';

describe('undo stack', () => {
  it('undoes the newest change first and redoes in reverse order of undoing', () => {
    const stack = new UndoStack();
    expect(stack.nextUndo).toBeUndefined();
    stack.record(10);
    stack.record(11);
    expect(stack.nextUndo).toBe(11);
    stack.undid(11);
    stack.undid(10);
    expect(stack.nextUndo).toBeUndefined();
    expect(stack.nextRedo).toBe(10);
    stack.redid(10);
    expect([stack.nextUndo, stack.nextRedo]).toEqual([10, 11]);
  });

  it('forgets what could be redone once a new edit is saved', () => {
    const stack = new UndoStack();
    stack.record(1);
    stack.undid(1);
    stack.record(2);
    expect(stack.nextRedo).toBeUndefined();
    expect(stack.nextUndo).toBe(2);
  });

  it('ignores a report that does not match its top (a refused or foreign changeset)', () => {
    const stack = new UndoStack();
    stack.record(1);
    stack.record(2);
    stack.undid(1);
    expect(stack.nextUndo).toBe(2);
    stack.redid(2);
    expect(stack.nextRedo).toBeUndefined();
  });

  it('keeps one stack per draft', () => {
    const stacks = new UndoStacks();
    stacks.of(1).record(5);
    expect(stacks.of(2).nextUndo).toBeUndefined();
    expect(stacks.of(1).nextUndo).toBe(5);
  });
});
