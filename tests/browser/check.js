// The portal in headless Chromium, at 1280 px and at 375 px: each role logs
// in through the form; every page it uses answers, fits the screen without
// sideways scrolling, logs no console error (a CSP violation included) and
// has no axe-core violation; and the daily jobs are done as a person does
// them: a meeting logged in three actions, a monthly report submitted,
// a club scored, my hours seen. Called by tests/api/browser.rs with a plan
// (JSON) as its one argument; prints what it did; exits 1 on a failure,
// with a screenshot of the page in the plan's artifacts folder.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const plan = JSON.parse(process.argv[2]);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const failures = [];

function note(line) {
  process.stdout.write(line + "\n");
}

async function screenshot(page, name) {
  fs.mkdirSync(plan.artifacts, { recursive: true });
  const file = path.join(plan.artifacts, name.replace(/[^a-z0-9.-]+/gi, "_") + ".png");
  await page.screenshot({ path: file, fullPage: true }).catch(() => {});
  return file;
}

async function fail(page, what, detail) {
  const shot = await screenshot(page, what);
  failures.push(`${what}: ${detail} (screenshot ${shot})`);
  note(`FAIL ${what}: ${detail}`);
}

// A browser context per person and width; axe is injected past the CSP,
// which the pages themselves keep.
async function session(browser, who, width, lang) {
  const context = await browser.newContext({
    viewport: { width, height: 800 },
    bypassCSP: true,
    locale: "ko-KR",
  });
  if (lang) {
    await context.addCookies([{ name: "dongari_lang", value: lang, url: plan.base }]);
  }
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && page.consoleErrors.push(m.text()));
  page.on("pageerror", (e) => page.consoleErrors.push(e.message));
  // What cannot be undone asks first; the person says yes.
  page.dialogs = [];
  page.on("dialog", (d) => {
    page.dialogs.push(d.message());
    d.accept();
  });
  await page.goto(plan.base + "/login");
  await page.fill("#employee_no", who.employee_no);
  await page.fill("#password", who.password);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  if (new URL(page.url()).pathname !== "/") {
    await fail(page, `${who.employee_no}-${width}-login`, `landed on ${page.url()}`);
  }
  return { context, page };
}

// The checks every page passes; whether it did.
async function look(page, label) {
  const before = failures.length;
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  if (scroll > inner) {
    const wide = await page.evaluate(() => {
      const w = window.innerWidth;
      return [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > w + 1)
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    });
    await fail(page, label, `scrolls sideways: ${scroll} px wide in ${inner} px (${wide.join(", ")})`);
  }
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ["violations"] })).violations.map(
      (v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join("; ")}`,
    ),
  );
  if (violations.length) {
    await fail(page, label, `axe: ${violations.join(" | ")}`);
  }
  if (page.consoleErrors.length) {
    await fail(page, label, `console: ${page.consoleErrors.join(" | ")}`);
    page.consoleErrors.length = 0;
  }
  return failures.length === before;
}

async function visit(page, url, label) {
  const res = await page.goto(plan.base + url);
  if (!res || res.status() !== 200) {
    await fail(page, label, `GET ${url} answered ${res && res.status()}`);
    return false;
  }
  return look(page, label);
}

async function logMeeting(page, width) {
  const label = `member-${width}-meeting`;
  await page.goto(plan.base + `/clubs/${plan.club}`);
  const topic = `브라우저 시험 모임 ${width}`;
  // One: open the form. Two: the topic. Three: save. Everything else has
  // its default: today, the usual times and place, who came last time.
  await Promise.all([page.waitForNavigation(), page.click(`a[href="/clubs/${plan.club}/meetings/new"]`)]);
  await look(page, `${label}-form`);
  await page.fill("#topic", topic);
  await Promise.all([page.waitForNavigation(), page.click(`form[action="/clubs/${plan.club}/meetings/new"] button[type=submit]`)]);
  const text = await page.textContent("main");
  if (!new URL(page.url()).pathname.startsWith(`/clubs/${plan.club}`) || !text.includes(topic)) {
    await fail(page, label, `after saving, ${page.url()} does not show the meeting`);
  } else {
    note(`ok ${label}: logged in three actions`);
  }
}

async function submitReport(page, width) {
  const label = `member-${width}-report`;
  await visit(page, `/clubs/${plan.club}/reports/${plan.report_month}`, `${label}-page`);
  await page.fill("#narrative", "브라우저에서 쓴 활동 내용입니다.\n둘째 줄입니다.");
  await Promise.all([page.waitForNavigation(), page.click("button[name=action][value=submit]")]);
  const text = await page.textContent("main");
  if (page.dialogs.length !== 1) {
    await fail(page, label, `the submission asked ${page.dialogs.length} times before it went`);
  } else if (!text.includes("보고서를 제출했습니다")) {
    await fail(page, label, "no word of the submission");
  } else {
    note(`ok ${label}: submitted`);
  }
  await look(page, `${label}-after`);
}

// A session that ends while a report is being written loses nothing: the
// form sent after it comes back, after the login, with its text.
async function expiredSession(page, width) {
  const label = `member-${width}-expired-session`;
  const url = `/clubs/${plan.club}/reports/${plan.draft_month}`;
  await page.goto(plan.base + url);
  const text = `세션이 끝난 뒤에도 남는 글 ${width}`;
  await page.fill("#narrative", text);
  await page.context().clearCookies({ name: "dongari_session" });
  await Promise.all([page.waitForNavigation(), page.click("button[name=action][value=save]")]);
  if (new URL(page.url()).pathname !== "/login") {
    await fail(page, label, `an ended session went to ${page.url()}, not the login`);
    return;
  }
  await page.fill("#employee_no", plan.people.member.employee_no);
  await page.fill("#password", plan.people.member.password);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  const back = new URL(page.url()).pathname === url && (await page.inputValue("#narrative")) === text;
  if (!back) {
    await fail(page, label, `after the login: ${page.url()}, the text ${back ? "kept" : "lost"}`);
    return;
  }
  await Promise.all([page.waitForNavigation(), page.click("button[name=action][value=save]")]);
  const kept = await page.evaluate(() => Object.keys(sessionStorage).length);
  if (kept !== 0 || (await page.inputValue("#narrative")) !== text) {
    await fail(page, label, `after saving, ${kept} draft(s) still kept`);
  } else {
    note(`ok ${label}: back on the form with the text, saved`);
  }
}

// A refused form names every problem at once, at the top, and takes the
// focus there.
async function refusedPassword(page, width) {
  const label = `member-${width}-password-errors`;
  await page.goto(plan.base + "/account/password");
  await page.fill("#current_password", "not-my-password");
  await page.fill("#new_password", "short");
  await page.fill("#confirm_password", "different");
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
  // The refusal itself is a 422, which Chromium logs; nothing else may be.
  page.consoleErrors = page.consoleErrors.filter((e) => !e.includes("status of 422"));
  const [focused, problems] = await page.evaluate(() => [
    document.activeElement && document.activeElement.id,
    document.querySelectorAll("#error-summary li").length,
  ]);
  if (focused !== "error-summary" || problems !== 3) {
    await fail(page, label, `focus on '${focused}', ${problems} problem(s) listed (3 expected)`);
  } else if (await look(page, label)) {
    note(`ok ${label}: three problems at once, focus on the summary`);
  }
}

async function score(page, width) {
  const label = `evaluator-${width}-score`;
  if (!(await visit(page, plan.score_path, `${label}-page`))) return;
  for (const input of await page.$$("main input[type=number]")) {
    const max = (await input.getAttribute("max")) || "3";
    await input.fill(max);
  }
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
  const text = await page.textContent("main");
  if (!text.includes("채점을 저장했습니다")) {
    await fail(page, label, `no word of the saved scores on ${page.url()}`);
  } else {
    note(`ok ${label}: scores saved`);
  }
}

// The administrator ends scoring once every score is in, then confirms
// the round (saying yes when asked) and sees its results.
async function confirmRound(page, width) {
  const label = `admin-${width}-confirm`;
  await page.goto(plan.base + plan.round_path);
  await page.click("summary:has-text('기간 바꾸기')");
  await page.check("#w-close");
  await page.fill("#w-reason", "채점이 모두 끝나 일찍 마감");
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/windows'] button[type=submit]")]);
  if (!(await page.textContent("main")).includes("평가 기간을 바꿨습니다")) {
    await fail(page, label, "scoring did not close");
    return;
  }
  const asked = page.dialogs.length;
  await Promise.all([page.waitForNavigation(), page.click("form.confirm-form button[type=submit]")]);
  const results = await page.textContent("main");
  if (page.dialogs.length !== asked + 1 || !new URL(page.url()).pathname.endsWith("/results") || !results.includes("최우수")) {
    await fail(page, label, `after confirming: ${page.url()}`);
  } else if (await look(page, `${label}-results`)) {
    note(`ok ${label}: scoring closed, confirmed, results shown`);
  }
}

(async () => {
  // Flags that keep Chromium off the network this machine does not have.
  const browser = await chromium.launch({
    executablePath: plan.chromium,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  try {
    for (const width of [1280, 375]) {
      // In this order: the member's report, then its scoring, then the
      // administrator's confirmation.
      for (const role of ["member", "evaluator", "admin"]) {
        const who = plan.people[role];
        const { context, page } = await session(browser, who, width);
        for (const url of plan.pages[role]) {
          if (await visit(page, url, `${role}-${width}${url}`)) note(`ok ${role} ${width} px ${url}`);
        }
        if (role === "member") {
          await logMeeting(page, width);
          if (width === 1280) await submitReport(page, width);
          await refusedPassword(page, width);
          if (width === 1280) await expiredSession(page, width);
          const hours = await page.goto(plan.base + "/me/ledger").then(() => page.textContent("main"));
          if (!hours.includes("상시학습")) await fail(page, `member-${width}-hours`, "my ledger shows no hours");
        }
        if (role === "evaluator" && width === 1280) await score(page, width);
        if (role === "admin" && width === 1280) await confirmRound(page, width);
        await context.close();
      }
    }
    // The pages a member uses daily, in English at a phone's width:
    // longer words must still fit, and the page says it is English.
    const { context, page } = await session(browser, plan.people.member, 375, "en");
    for (const url of plan.pages.member) {
      if (await visit(page, url, `member-375-en${url}`)) {
        const lang = await page.getAttribute("html", "lang");
        if (lang !== "en") await fail(page, `member-375-en${url}`, `html lang="${lang}"`);
        else note(`ok member 375 px in English ${url}`);
      }
    }
    await context.close();
  } finally {
    await browser.close();
  }
  if (failures.length) {
    note(`\n${failures.length} failure(s):\n` + failures.join("\n"));
    process.exit(1);
  }
  note("all browser checks passed");
})().catch((e) => {
  note(`the browser run broke: ${e.stack || e}`);
  process.exit(2);
});
