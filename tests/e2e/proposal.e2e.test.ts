/**
 * 智能划格 (issue 19) in a real Chromium against a real server with the demo district: a street
 * editor opens a draft, chooses the community of their street that has grids outside the
 * household bounds (asked of the API), runs 智能划格 (调整) and sees 现状 beside 方案 with the
 * summary saying every residential grid is in band; the view speaks English on the switch; an
 * edit made meanwhile makes 采用 refuse (draft_changed) until 重新生成; 采用 then writes the proposal into the draft, whose check then shows no new gap or overlap and no
 * grid out of band; 发布 publishes it, and the published grids of that community are all in
 * band (asked of the API).
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/proposal.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DraftGridFeature, PublishCheckResponse } from '../../common/contracts/drafts.ts';
import type { Proposal } from '../../common/contracts/proposals.ts';
import { openApp, signInAndStartDraft, useServerAndBrowser } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';
import { plannerGrids, sessionCookie } from '../helpers/session.ts';

const STREET = '131002003000'; // editor-003's
const RESULTS = 'test-results';
const DOCS = 'docs/screenshots';

const ROW_LABELS = ['网格数', '在标准内', '户数 最少/中位/最多', '紧凑度（中位）', '穿越道路', '拆分小区'];

describe('智能划格 in Chromium', () => {
  const env = useServerAndBrowser();

  it(
    'proposes grids for a community with out-of-band grids, applies them to the draft and publishes',
    { timeout: 300_000 },
    async () => {
      const url = env.server().url;
      const street = await plannerGrids(url, STREET);
      const outOfBand = street.features.filter((f) => f.properties.band === 'low' || f.properties.band === 'high');
      expect(outOfBand.length).toBeGreaterThan(0);
      const community = outOfBand[0]!.properties.community_code;
      const before = street.features.filter((f) => f.properties.community_code === community);
      const residential = before.filter((f) => f.properties.kind !== 'commercial');
      const inBandBefore = residential.filter((f) => f.properties.band === 'ok').length;
      expect(inBandBefore).toBeLessThan(residential.length);

      const { page, foreign, pageErrors } = await openApp(env.browser(), url);
      const draftId = await signInAndStartDraft(page, 'editor-003');
      expect(await page.textContent('#tool-propose')).toBe('智能划格');

      // Choose the community in the tree: 智能划格 starts on it.
      await page.click(`.tree-name[data-code="${STREET}"]`);
      await page.click(`.tree-name[data-code="${community}"]`);

      // Every state the view passes through, and whether 采用 waited while it computed.
      await page.evaluate(() => {
        const view = document.getElementById('proposal-view')!;
        const seen: string[] = [];
        (window as unknown as { __proposalStates: string[] }).__proposalStates = seen;
        new MutationObserver(() => {
          const apply = document.getElementById('proposal-apply') as HTMLButtonElement | null;
          seen.push(`${view.dataset.state}:${apply?.disabled ? 'wait' : 'go'}`);
        }).observe(view, { attributes: true, attributeFilter: ['data-state'], childList: true, subtree: true });
      });
      await page.click('#tool-propose');
      await page.waitForSelector('#proposal-view', { state: 'visible' });
      expect(await page.inputValue('#proposal-scope')).toBe(`community:${community}`);
      expect(await page.getAttribute('#proposal-mode-rebalance', 'aria-pressed')).toBe('true');
      await page.waitForSelector('#proposal-view[data-state="ready"]', { timeout: 60_000 });
      const proposalId = Number(await page.getAttribute('#proposal-view', 'data-proposal-id'));
      await page.waitForSelector(`#proposal-view[data-drawn="${proposalId}"]`, { timeout: 30_000 });
      const states = await page.evaluate(() => (window as unknown as { __proposalStates: string[] }).__proposalStates);
      expect(states).toContain('running:wait');
      expect(states.at(-1)).toBe('ready:go');

      // The summary: every residential grid in band, today's count beside it.
      const summary = await page.$('#proposal-summary');
      const inBand = Number(await summary!.getAttribute('data-in-band'));
      const bandGrids = Number(await summary!.getAttribute('data-residential'));
      expect(bandGrids).toBeGreaterThan(0);
      expect(inBand).toBe(bandGrids);
      expect(await page.textContent('#proposal-summary-table tr[data-row="inBand"] td.proposed')).toBe(
        `${inBand}/${bandGrids}`,
      );
      expect(await page.textContent('#proposal-summary-table tr[data-row="inBand"] td.today')).toBe(
        `${inBandBefore}/${residential.length}`,
      );
      const labels = await page.$$eval('#proposal-summary-table tbody th', (ths) => ths.map((th) => th.textContent));
      expect(labels.slice(0, ROW_LABELS.length)).toEqual(ROW_LABELS);
      expect(labels).toContain('变动网格');
      expect(labels).toContain('变动户数');
      expect(await page.isVisible('.proposal-no-problems')).toBe(true);

      // The API holds the same proposal.
      const cookie = await sessionCookie(url, 'editor-003');
      const http = httpClient(url);
      const stored = (await http.get<Proposal>(`/api/drafts/${draftId}/proposals/${proposalId}`, { cookie })).body;
      expect(stored.summary.inBand).toBe(inBand);
      expect(stored.mode).toBe('rebalance');
      expect(stored.scope).toMatchObject({ level: 'community', code: community });
      const gridsChanged = stored.summary.gridsChanged;
      expect(gridsChanged).toBeGreaterThan(0);
      expect(await page.textContent('#proposal-summary-table tr[data-row="gridsChanged"] td.proposed')).toBe(
        String(gridsChanged),
      );

      await page.mouse.move(5, 300); // no hover on either map
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: `${RESULTS}/proposal.png` });
      if (process.env.UPDATE_SCREENSHOTS) {
        mkdirSync(DOCS, { recursive: true });
        copyFileSync(`${RESULTS}/proposal.png`, `${DOCS}/proposal.png`);
      }

      // English on the switch, then back.
      await page.click('#lang-switch');
      expect(await page.textContent('#proposal-apply')).toBe('Apply');
      expect(await page.textContent('#proposal-summary-table tr[data-row="inBand"] th')).toBe('Within bounds');
      await page.click('#lang-switch');
      expect(await page.textContent('#proposal-apply')).toBe('采用');

      // Meanwhile the draft changes (a grid of another community renamed over the API): 采用 is
      // refused with draft_changed, said in the view, and 重新生成 gives a proposal that applies.
      const other = street.features.find((f) => f.properties.community_code !== community)!.properties;
      const otherNow = (await http.get<DraftGridFeature>(`/api/drafts/${draftId}/grids/${other.code}`, { cookie })).body
        .properties;
      const renamed = await http.patch(`/api/drafts/${draftId}/grids/${other.code}`, {
        cookie,
        ifMatch: otherNow.etag,
        body: { name: `${other.name}（新）`, comment: '同时改名' },
      });
      expect(renamed.status, renamed.text).toBe(200);
      await page.click('#proposal-apply');
      await page.waitForSelector('#proposal-view .proposal-error[data-draft-changed="true"]', { timeout: 30_000 });
      expect(await page.textContent('#proposal-view .proposal-error')).toContain('草稿已被修改');
      expect(await page.isVisible('#proposal-view')).toBe(true);
      await page.click('#proposal-regenerate');
      await page.waitForSelector('#proposal-view[data-state="ready"]', { timeout: 60_000 });
      const again = Number(await page.getAttribute('#proposal-view', 'data-proposal-id'));
      expect(again).toBeGreaterThan(proposalId);
      expect(await page.getAttribute('#proposal-summary', 'data-in-band')).toBe(String(bandGrids));

      // 采用: the view closes and the draft is redrawn and checked as after any edit.
      await page.click('#proposal-apply');
      await page.waitForSelector('#proposal-view', { state: 'hidden', timeout: 30_000 });
      await page.waitForSelector('#editor-running .editor-message.info', { timeout: 30_000 });
      expect(await page.textContent('#editor-running .editor-message.info')).toContain(`已采用方案 #${again}`);
      await expect
        .poll(() => page.getAttribute('#editor-running .changes .count', 'data-count'), { timeout: 30_000 })
        .not.toBe('0');
      await page.waitForSelector('#tool-publish:not([disabled])', { timeout: 30_000 });
      expect(await page.getAttribute('#editor-running .draft-check', 'data-ok')).toBe('true');
      expect(await page.$('#editor-running .out-of-range')).toBeNull();
      expect(await page.isEnabled('#tool-undo')).toBe(true); // one changeset, 撤销 takes it back
      const check = (await http.get<PublishCheckResponse>(`/api/drafts/${draftId}/check`, { cookie })).body;
      expect(check.created).toEqual([]);
      expect(check.outOfRange).toEqual([]);

      // 发布.
      await page.click('#tool-publish');
      await page.waitForSelector('#comment-dialog[open]');
      await page.fill('#comment-dialog textarea[name="comment"]', '智能划格：户数超标网格调整');
      await page.click('#comment-dialog button[type="submit"]');
      await page.waitForSelector('#editor-start', { timeout: 60_000 });

      // The published grids of the community are all in band.
      const after = (await plannerGrids(url, community)).features;
      expect(after.length).toBe(stored.grids.length);
      const bands = after.filter((f) => f.properties.kind !== 'commercial').map((f) => f.properties.band);
      expect(bands.length).toBe(bandGrids);
      expect(bands.every((band) => band === 'ok')).toBe(true);
      const total = (grids: typeof after) => grids.reduce((sum, f) => sum + f.properties.households!, 0);
      expect(total(after)).toBe(total(before));

      expect(pageErrors).toEqual([]);
      expect(foreign).toEqual([]);
    },
  );
});
