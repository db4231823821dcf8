/**
 * The changesets this session made in one draft, in order: what 撤销 undoes next and what
 * 重做 redoes next. Pure: the editor calls the server, then tells the stack what happened.
 */
export class UndoStack {
  private readonly done: number[] = [];
  private undone: number[] = [];

  /** A new edit was saved: it can be undone, and nothing undone before it can be redone. */
  record(changeset: number): void {
    this.done.push(changeset);
    this.undone = [];
  }

  /** The changeset 撤销 would undo, if any. */
  get nextUndo(): number | undefined {
    return this.done.at(-1);
  }

  /** The changeset 重做 would redo, if any. */
  get nextRedo(): number | undefined {
    return this.undone.at(-1);
  }

  /** The server undid `changeset` (the top of the stack). */
  undid(changeset: number): void {
    if (this.done.at(-1) !== changeset) return;
    this.undone.push(this.done.pop()!);
  }

  /** The server redid `changeset` (the last one undone). */
  redid(changeset: number): void {
    if (this.undone.at(-1) !== changeset) return;
    this.done.push(this.undone.pop()!);
  }
}

/** One stack per draft, so switching drafts in a session keeps each one's history apart. */
export class UndoStacks {
  private readonly stacks = new Map<number, UndoStack>();

  of(draftId: number): UndoStack {
    let stack = this.stacks.get(draftId);
    if (!stack) this.stacks.set(draftId, (stack = new UndoStack()));
    return stack;
  }
}
