/**
 * 派遣: where a street's editor (or an admin) sends a case: a grid of its community, a
 * community of its street, the street itself, a department of the street (街道吹哨、部门报到,
 * or 转职能部门) or the 12345 hotline. Names, not codes, in every list.
 */
import type { CaseConfig, QueueKind, StaffCaseDetail, TransitionRequest } from '../../common/contracts/cases.ts';
import { api } from '../api.ts';
import { h } from '../dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';

export interface DispatchHandlers {
  submit: (transition: TransitionRequest) => Promise<void>;
  cancel: () => void;
}

const TARGETS: { kind: QueueKind; key: MessageKey }[] = [
  { kind: 'grid', key: 'cases.toGrid' },
  { kind: 'community', key: 'cases.toCommunity' },
  { kind: 'department', key: 'cases.toDepartment' },
  { kind: 'street', key: 'cases.toStreet' },
  { kind: 'hotline', key: 'cases.toHotline' },
];

/** The handling way a target implies; a department's is chosen in the form (吹哨 by default). */
const HANDLING: Partial<Record<QueueKind, string>> = { community: 'community', hotline: 'hotline' };

export function dispatchForm(c: StaffCaseDetail, config: CaseConfig, handlers: DispatchHandlers): HTMLFormElement {
  const kind = h(
    'select',
    { name: 'kind', id: 'dispatch-kind' },
    ...TARGETS.map((target) => h('option', { value: target.kind }, t(target.key))),
  );
  const target = h('select', { name: 'target', id: 'dispatch-target' });
  const targetName = h('span', {}, t('cases.toGrid'));
  const targetLabel = h('label', {}, targetName, target);
  const departments = config.departments.filter((d) => d.streetCode === c.street.code);
  const handling = h(
    'select',
    { name: 'handling', id: 'dispatch-handling' },
    ...config.handlings
      .filter((way) => way.code === 'whistle' || way.code === 'department')
      .map((way) => h('option', { value: way.code }, way.name)),
  );
  const handlingLabel = h('label', {}, t('case.handling'), handling);
  const comment = h('textarea', {
    name: 'comment',
    rows: 2,
    maxlength: 2000,
    placeholder: t('case.commentPlaceholder'),
  });
  const error = h('p', { class: 'form-error', role: 'alert' });

  const options = (items: { value: string; label: string }[]) =>
    target.replaceChildren(...items.map((item) => h('option', { value: item.value }, item.label)));

  let request = 0;
  const kindChanged = async () => {
    const chosen = kind.value as QueueKind;
    const mine = ++request;
    handlingLabel.hidden = chosen !== 'department';
    targetName.textContent = t(`case.queue.${chosen}` as MessageKey);
    targetLabel.hidden = chosen === 'hotline';
    error.textContent = '';
    if (chosen === 'grid') {
      options([]);
      const grids = await api.grids(c.community.code).catch(() => null);
      if (mine !== request) return;
      options(
        (grids?.features ?? [])
          .map((f) => f.properties)
          .sort((a, b) => a.code.localeCompare(b.code))
          .map((g) => ({ value: g.code, label: g.name })),
      );
      if (c.grid) target.value = c.grid.code;
    } else if (chosen === 'community') {
      options([]);
      const list = await api.regions(c.street.code).catch(() => null);
      if (mine !== request) return;
      options((list?.regions ?? []).map((r) => ({ value: r.code, label: r.name })));
      target.value = c.community.code;
    } else if (chosen === 'department') {
      options(
        departments.map((d) => ({
          value: String(d.id),
          label: `${d.name}（${t('cases.reportHours', { hours: d.reportHours })}）`,
        })),
      );
      if (!departments.length) error.textContent = t('cases.noDepartments');
    } else if (chosen === 'street') {
      options([{ value: c.street.code, label: c.street.name }]);
    } else {
      options([{ value: '12345', label: t('cases.toHotline') }]);
    }
  };
  kind.addEventListener('change', () => void kindChanged());
  void kindChanged();

  const submit = h('button', { type: 'submit', id: 'dispatch-submit' }, t('case.action.dispatch'));
  const cancel = h('button', { type: 'button', class: 'secondary' }, t('case.cancel'));
  cancel.addEventListener('click', handlers.cancel);
  const form = h(
    'form',
    { class: 'action-form dispatch-form', id: 'dispatch-form' },
    h('h3', {}, t('cases.dispatchTitle')),
    h('label', {}, t('cases.dispatchTo'), kind),
    targetLabel,
    handlingLabel,
    h('label', {}, t('case.comment'), comment),
    error,
    h('div', { class: 'dialog-actions' }, cancel, submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = kind.value as QueueKind;
    if (!target.value) return void (error.textContent = t('cases.targetRequired'));
    const transition: TransitionRequest = { action: 'dispatch', to: { kind: chosen, code: target.value } };
    const way = chosen === 'department' ? handling.value : HANDLING[chosen];
    if (way) transition.handling = way;
    const text = comment.value.trim();
    if (text) transition.comment = text;
    submit.disabled = true;
    void handlers.submit(transition).finally(() => (submit.disabled = false));
  });
  return form;
}
