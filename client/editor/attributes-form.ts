/**
 * The 属性 tool: with one grid picked, a form for its name, kind, households (typed, or 按楼栋自动计算),
 * grid-level party organisations and full/part-time grid workers. Save sends only the changed
 * fields (./attributes-logic.ts) with a comment and If-Match; a 412 reloads the grid, a 400 shows
 * next to the form.
 */
import type { PartyOrg } from '../../common/contracts/party.ts';
import type { GridKind } from '../../common/domain.ts';
import { api, ApiRequestError } from '../api.ts';
import { fillTemplate, h } from '../dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import {
  attributesPatch,
  isMaskedPhone,
  parseHouseholds,
  type AttributesState,
  type WorkerRow,
} from './attributes-logic.ts';
import type { ToolHost } from './edit-tools.ts';
import { editorApi, type DraftGridAttributes } from './editor-api.ts';
import { nameAndCode } from './names.ts';

const GRID_KINDS: GridKind[] = ['residential', 'commercial', 'mixed'];
const ROLES: WorkerRow['role'][] = ['full_time', 'part_time'];
const dialog = h('dialog', { class: 'login-dialog comment-dialog attributes-dialog', id: 'attributes-dialog' });

/** What the form starts from: the draft's grid, its published assignments where the draft has none. */
async function initialState(
  draftId: number,
  code: string,
): Promise<{ grid: DraftGridAttributes; state: AttributesState; orgs: PartyOrg[] }> {
  const grid = await editorApi.attributes(draftId, code);
  const needPublished = (grid.party_orgs === null || grid.workers === null) && grid.baseVersion !== null;
  const [orgs, published] = await Promise.all([
    api
      .partyOrgs(grid.community_code)
      .then((list) => list.party_orgs.filter((o) => o.kind === 'branch' || o.kind === 'group')),
    needPublished ? api.grid(code).catch(() => null) : Promise.resolve(null),
  ]);
  const publishedWorkers: WorkerRow[] = (published?.properties.workers ?? []).flatMap((w) =>
    w.role === 'full_time' || w.role === 'part_time'
      ? [{ name: w.name, phone: w.phone ?? '', role: w.role, phone_public: !!w.phone && !isMaskedPhone(w.phone) }]
      : [],
  );
  const state: AttributesState = {
    name: grid.name,
    kind: grid.kind,
    households: grid.households,
    autoHouseholds: grid.households_source !== 'manual',
    party_orgs: grid.party_orgs ?? published?.properties.party_orgs ?? [],
    workers: grid.workers ?? publishedWorkers,
  };
  return { grid, state, orgs };
}

export class AttributesForm {
  constructor(private readonly host: ToolHost) {}

  /** Open the form for the one picked grid. */
  async open(): Promise<void> {
    const draft = this.host.view.draft;
    const picked = this.host.view.picked[0];
    if (!draft || this.host.view.picked.length !== 1 || !picked) return;
    let loaded: Awaited<ReturnType<typeof initialState>> | undefined;
    await this.host.busy(async () => {
      loaded = await initialState(draft.id, picked.code);
    });
    if (loaded) this.show(draft.id, loaded.grid, loaded.state, loaded.orgs);
  }

  private show(draftId: number, grid: DraftGridAttributes, before: AttributesState, orgs: PartyOrg[]): void {
    if (!dialog.isConnected) document.body.append(dialog);
    const name = h('input', { name: 'name', required: true, value: before.name });
    const kind = h(
      'select',
      { name: 'kind' },
      ...GRID_KINDS.map((k) =>
        h('option', { value: k, selected: k === before.kind }, t(`gridKind.${k}` as MessageKey)),
      ),
    );
    const households = h('input', {
      name: 'households',
      type: 'number',
      min: 0,
      max: 100000,
      step: 1,
      value: before.households ?? '',
      disabled: before.autoHouseholds,
    });
    const auto = h('input', { name: 'autoHouseholds', type: 'checkbox', checked: before.autoHouseholds });
    auto.addEventListener('change', () => (households.disabled = auto.checked));
    const orgBoxes = orgs.map((o) => ({
      code: o.code,
      box: h('input', {
        type: 'checkbox',
        name: 'party_org',
        value: o.code,
        checked: before.party_orgs.includes(o.code),
      }),
      label: `${o.name}（${t(`partyKind.${o.kind}` as MessageKey)}）`,
    }));
    // Assigned organisations the community list does not offer stay as they are.
    const otherOrgs = before.party_orgs.filter((code) => !orgs.some((o) => o.code === code));
    const rows = h('div', { class: 'worker-rows' });
    const addRow = (w: WorkerRow) => {
      const row = h(
        'div',
        { class: 'worker-row' },
        h('input', {
          name: 'worker-name',
          value: w.name,
          placeholder: t('editor.attr.workerName'),
          'aria-label': t('editor.attr.workerName'),
        }),
        h('input', {
          name: 'worker-phone',
          value: w.phone,
          placeholder: t('editor.attr.phone'),
          'aria-label': t('editor.attr.phone'),
          inputmode: 'tel',
        }),
        h(
          'select',
          { name: 'worker-role', 'aria-label': t('editor.attr.role') },
          ...ROLES.map((r) => h('option', { value: r, selected: r === w.role }, t(`workerRole.${r}` as MessageKey))),
        ),
        h(
          'label',
          { class: 'inline' },
          h('input', { type: 'checkbox', name: 'worker-public', checked: w.phone_public }),
          t('editor.attr.phonePublic'),
        ),
      );
      const remove = h(
        'button',
        { type: 'button', class: 'secondary small-button', title: t('editor.attr.removeWorker') },
        '×',
      );
      remove.addEventListener('click', () => row.remove());
      row.append(remove);
      rows.append(row);
    };
    before.workers.forEach(addRow);
    const add = h(
      'button',
      { type: 'button', class: 'secondary', id: 'attributes-add-worker' },
      t('editor.attr.addWorker'),
    );
    add.addEventListener('click', () => addRow({ name: '', phone: '', role: 'full_time', phone_public: false }));
    const comment = h('textarea', {
      name: 'comment',
      rows: 2,
      required: true,
      placeholder: t('editor.commentPlaceholder'),
    });
    const error = h('p', { class: 'error small attributes-error', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit' }, t('editor.save'));
    const cancel = h('button', { type: 'button', class: 'secondary' }, t('editor.cancel'));

    const current = (): AttributesState => ({
      name: name.value,
      kind: kind.value as GridKind,
      households: parseHouseholds(households.value),
      autoHouseholds: auto.checked,
      party_orgs: [...orgBoxes.filter((o) => o.box.checked).map((o) => o.code), ...otherOrgs],
      workers: [...rows.querySelectorAll('.worker-row')].map((row) => ({
        name: row.querySelector<HTMLInputElement>('[name="worker-name"]')!.value,
        phone: row.querySelector<HTMLInputElement>('[name="worker-phone"]')!.value,
        role: row.querySelector<HTMLSelectElement>('[name="worker-role"]')!.value as WorkerRow['role'],
        phone_public: row.querySelector<HTMLInputElement>('[name="worker-public"]')!.checked,
      })),
    });
    const showError = (text: string) => {
      error.textContent = text;
      error.hidden = false;
    };

    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, t('editor.tool.attributes')),
      h(
        'p',
        { class: 'muted small' },
        ...fillTemplate(t('editor.summary.attributes'), { grid: nameAndCode(grid.name, grid.code) }),
      ),
      h('label', {}, t('editor.gridName'), name),
      h('label', {}, t('editor.gridKind'), kind),
      h('label', {}, t('editor.attr.households'), households),
      h('label', { class: 'inline' }, auto, t('editor.attr.autoHouseholds')),
      h(
        'fieldset',
        { class: 'party-orgs' },
        h('legend', {}, t('editor.attr.partyOrgs')),
        ...(orgBoxes.length
          ? orgBoxes.map((o) => h('label', { class: 'inline' }, o.box, o.label))
          : [h('p', { class: 'muted small' }, t('editor.attr.noPartyOrgs'))]),
      ),
      h('fieldset', { class: 'workers' }, h('legend', {}, t('editor.attr.workers')), rows, add),
      h('label', {}, t('editor.comment'), comment),
      error,
      h('div', { class: 'dialog-actions' }, cancel, save),
    );
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const after = current();
      if (!after.autoHouseholds && after.households === null) return showError(t('editor.attr.badHouseholds'));
      const patch = attributesPatch(before, after);
      if (Object.keys(patch).length === 0) return showError(t('editor.attr.nothingChanged'));
      if (patch.workers?.some((w) => isMaskedPhone(w.phone))) return showError(t('editor.attr.maskedPhone'));
      save.disabled = true;
      void this.save(draftId, grid, patch, comment.value.trim()).then((message) => {
        save.disabled = false;
        if (message) showError(message);
      });
    });
    dialog.replaceChildren(form);
    dialog.showModal();
    name.focus();
  }

  /** Write the change; returns a message to show next to the form, or null when the form closed. */
  private async save(
    draftId: number,
    grid: DraftGridAttributes,
    patch: ReturnType<typeof attributesPatch>,
    comment: string,
  ): Promise<string | null> {
    try {
      const saved = await editorApi.changeAttributes(draftId, grid.code, grid.etag, patch, comment);
      dialog.close();
      this.host.saved(saved.changeset);
      await this.host.busy(async () => {
        this.host.setPicked([await editorApi.grid(draftId, grid.code)]);
        this.host.say('info', t('editor.saved'));
        await this.host.reloadDraft();
      });
      return null;
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 400) return error.message;
      dialog.close();
      if (error instanceof ApiRequestError && error.status === 412) {
        await this.host.busy(async () => {
          this.host.setPicked([await editorApi.grid(draftId, grid.code)]);
          await this.host.reloadDraft();
          this.host.say('error', t('editor.stale', { codes: grid.code }));
        });
      } else {
        this.host.fail(error);
      }
      return null;
    }
  }
}
