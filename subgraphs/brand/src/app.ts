import { performance } from "node:perf_hooks";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";
import type { ResolverData } from "type-graphql";
import { isAppError } from "@brandpool/errors";
import { Authorizer } from "@brandpool/policy";
import type { Action, Resource } from "@brandpool/policy";
import { forwardedTokenVerifier, serviceAudience } from "@brandpool/tokens";
import { callerFromRequest, serveGraphQL } from "@brandpool/http-server";
import type { HttpService } from "@brandpool/http-server";
import { createFormatError, createPolicyAuthChecker, reportUnexpectedError, serviceContext } from "@brandpool/subgraph-kit";
import type { BrandNodeConfig } from "./config.js";
import { openDatabase } from "./db/database.js";
import { NodeAudit } from "./audit/node-audit.service.js";
import type { RequestContext } from "./auth/request-context.js";
import { BrandResolver } from "./brand/brand.resolver.js";
import { DenialResolver } from "./audit/denial.resolver.js";
import { BrandAuditResolver } from "./audit/brand-audit.resolver.js";
import { AuditHeadPusher } from "./audit/audit-head-pusher.service.js";
import { fetchRecordedHeads } from "./audit/recorded-heads.client.js";
import { OutreachEvidence } from "./audit/outreach-evidence.service.js";
import { OutreachEvidenceResolver } from "./audit/outreach-evidence.resolver.js";
import { EstimateService } from "./estimate/estimate.service.js";
import { MemberService } from "./members/member.service.js";
import { ImportSessionService } from "./members/import-session.service.js";
import { ImportSessionsResolver } from "./members/import-sessions.resolver.js";
import { MembersResolver } from "./members/members.resolver.js";
import {
  JobRuntime,
  PULL_OUTREACH_JOB,
  PUSH_AUDIT_HEAD_JOB,
  PUSH_OUTBOX_JOB,
  SWEEP_SENDS_JOB,
  expireOutreachJob,
  notifyApproverJob,
  pullOutreachJob,
  pushAuditHeadJob,
  releaseOutreachResultsJob,
  pushOutboxJob,
  pruneMemberChangesJob,
  releaseDeclinesJob,
  sendBatchQueue,
  startSendsJob,
  sweepSendsJob,
  syncPoolJob,
} from "./jobs/index.js";
import { coalescedNudge } from "./jobs/coalesced-nudge.js";
import { ApproverNotifier } from "./outreach/approver-notifier.service.js";
import { expireOutreachRequests } from "./outreach/expire-outreach-requests.js";
import { minimumAudienceRule } from "./rules/minimum-audience.rule.js";
import { drawReleaseAt } from "./rules/release-delay.js";
import { releaseHeldDeclines } from "./rules/release-held-declines.js";
import { SharingRulesResolver } from "./rules/sharing-rules.resolver.js";
import { sharingRulesRule } from "./rules/sharing-rules.rule.js";
import { sendRules } from "./rules/send-rules.js";
import { SharingRulesService } from "./rules/sharing-rules.service.js";
import { OutreachDecisions } from "./outreach/outreach-decision.service.js";
import { OutreachDecisionResolver } from "./outreach/outreach-decision.resolver.js";
import { OutreachReviewResolver } from "./outreach/outreach-review.resolver.js";
import { OutreachReviewService } from "./outreach/outreach-review.service.js";
import { OutreachTargetResolver } from "./outreach/outreach-target.resolver.js";
import { OutreachTargetService } from "./outreach/outreach-target.service.js";
import { channelAdapters, sendPacing, sendSettings } from "./sending/send-config.js";
import { BatchSender } from "./sending/send-batch.js";
import { SendStarter } from "./sending/start-sending.js";
import type { EnqueueBatches } from "./sending/start-sending.js";
import { SEND_BATCH_QUEUE } from "./sending/send-settings.js";
import { UnsubscribeTokens } from "./sending/unsubscribe-token.js";
import { OptOutService } from "./opt-out/opt-out.service.js";
import { optOutRoutes } from "./opt-out/opt-out.routes.js";
import { sendError } from "@brandpool/http-server";
import { OutreachPuller } from "./outreach/outreach-puller.service.js";
import { OutreachDeliveriesResolver } from "./outreach/outreach-deliveries.resolver.js";
import { OutreachDeliveriesService } from "./outreach/outreach-deliveries.service.js";
import { OutreachMailExportResolver } from "./outreach/outreach-mail-export.resolver.js";
import { OutreachMailExportService } from "./outreach/outreach-mail-export.service.js";
import { CouponCheckResolver } from "./outreach/coupon-check.resolver.js";
import { OutboxPusher } from "./outbox/outbox-pusher.service.js";
import { OutboxRepository } from "./outbox/outbox.repository.js";
import { OutboxRefusalService } from "./outbox/outbox-refusal.service.js";
import { OutboxRefusalsResolver } from "./outbox/outbox-refusals.resolver.js";
import { BENCH_BUDGETS, PrivacyBudgetService, PrivacyLedger, STANDARD_BUDGETS, SqlAudienceCounter } from "./privacy-ledger/index.js";
import { PrivacyBudgetResolver } from "./privacy-ledger/privacy-budget.resolver.js";
import { PerPrincipalLimiter } from "./rate-limit/per-principal-limiter.js";
import { GatewayClient } from "./pool/gateway-client.js";
import { PoolView } from "./pool/pool-view.service.js";
import { TagDictionaryRepository } from "./pool/tag-dictionary.repository.js";
import { TagDictionary } from "./pool/tag-dictionary.service.js";
import { buildBrandSchema } from "./schema.js";
import { AUDIENCE_INDEX_POOL_OPTIONS, AudienceIndex, IndexedAudienceCounter } from "./audience-index/index.js";
import type { AudienceCounter } from "./privacy-ledger/index.js";
import pg from "pg";

/** Largest request body a node accepts (the gateway's own limit is lower). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** On shutdown: how long active job runs may take to end, then the last outbox push. */
const JOBS_STOP_MS = 1_500;
const FINAL_PUSH_MS = 2_000;
/**
 * Writes within this many milliseconds share one nudge of the outbox and audit-head pushes (each
 * push is a call through the gateway to the coordinator and a signed head, competing with the
 * next estimates for the same two cores). 50 ms made a push every ten or so estimates of a
 * busy node; at 1 s the coordinator's copy is still no more than a second behind.
 */
const NUDGE_WINDOW_MS = 1_000;
/** Seconds between sweeps for send batches left without a job (also at start). */
const SWEEP_SECONDS = 15;

export interface BrandNode extends HttpService {
  schema: GraphQLSchema;
}

/** Wires one brand node: its database, its services, Cedar in every resolver, and HTTP. */
export async function startBrandNode(config: BrandNodeConfig): Promise<BrandNode> {
  const authorizer = Authorizer.load();
  const { pool, db } = openDatabase(config.DATABASE_URL);
  const dictionary = new TagDictionary(new TagDictionaryRepository(db));
  await dictionary.load();
  const gateway = new GatewayClient(config.GATEWAY_URL, config.BRAND_ID, config.NODE_KEY);
  const poolView = new PoolView(gateway, dictionary);
  const outbox = new OutboxRepository(db);
  const pusher = new OutboxPusher(outbox, gateway);
  const reportJobError = reportUnexpectedError(`node:${config.BRAND_ID} jobs`);
  const jobs = new JobRuntime({
    databaseUrl: config.DATABASE_URL,
    // The gateway or coordinator being down is expected and retried by the next run: not reported.
    onError: (error) => {
      if (!(isAppError(error) && error.code === "UNAVAILABLE")) reportJobError(error);
    },
  });
  jobs.register(pushOutboxJob(pusher, config.OUTBOX_PUSH_SECONDS));
  jobs.register(syncPoolJob(poolView, config.POOL_SYNC_SECONDS));
  jobs.register(pushAuditHeadJob(new AuditHeadPusher(config.BRAND_ID, pool, gateway, config.NODE_KEY), config.AUDIT_HEAD_SECONDS));
  const audit = new NodeAudit(
    config.BRAND_ID,
    pool,
    // Whatever queued an event for the coordinator also appended to this node's chain; a burst
    // of writes (estimates) makes one push of each, not one per write.
    coalescedNudge(() => {
      jobs.nudge(PUSH_OUTBOX_JOB);
      jobs.nudge(PUSH_AUDIT_HEAD_JOB);
    }, NUDGE_WINDOW_MS),
    new PerPrincipalLimiter({ points: config.DENIAL_REPORT_LIMIT, perSeconds: 60 }),
  );
  // The owner's sharing rules: read from the database per decision (cached by version), so every
  // process follows a change without a restart. Its link list asks them first, then the setting.
  const rules = new SharingRulesService(
    { brandId: config.BRAND_ID, timeZone: config.TIME_ZONE, defaultMinimum: config.MIN_OUTREACH_AUDIENCE, fallbackLinkDomains: config.OUTREACH_LINK_DOMAINS },
    db,
    pool,
    audit,
  );
  const links = rules.links;
  // Sending approved outreach: a start job, one job per batch, and a sweep for batches a killed
  // process left behind; the owner's rules may add quiet time and lower the frequency cap.
  const settings = { ...sendSettings(config), rules: sendRules(rules, config.TIME_ZONE) };
  const adapters = channelAdapters(config);
  const tokens = new UnsubscribeTokens(config.NODE_SECRET);
  const enqueue: EnqueueBatches = (batches, db) => jobs.enqueue(SEND_BATCH_QUEUE, batches, db);
  jobs.register(startSendsJob(new SendStarter(settings, pool, audit, dictionary, enqueue), config.SEND_POLL_SECONDS));
  jobs.register(sweepSendsJob(pool, enqueue, SWEEP_SECONDS));
  jobs.registerQueue(sendBatchQueue(new BatchSender(settings, pool, audit, adapters, tokens, enqueue, sendPacing(config)), config.SEND_WORKERS));
  const optOuts = new OptOutService(config.BRAND_ID, pool, audit);
  const routes = optOutRoutes({ optOuts, tokens, smsReplySecret: config.SMS_REPLY_SECRET });
  const budgetLimits = config.PRIVACY_PROFILE === "bench" ? BENCH_BUDGETS : STANDARD_BUDGETS;
  // The audience index has its own connections: a catch-up never waits behind the pool's work
  // (nor the ledger's transaction that asks for the count), and its load holds one for a while.
  const sqlCounter = new SqlAudienceCounter(dictionary);
  const indexPool = config.AUDIENCE_COUNTER === "index" ? new pg.Pool({ connectionString: config.DATABASE_URL, ...AUDIENCE_INDEX_POOL_OPTIONS }) : null;
  indexPool?.on("error", () => undefined);
  const audienceIndex = indexPool ? new AudienceIndex(indexPool, { onError: reportUnexpectedError(`node:${config.BRAND_ID} audience index`) }) : null;
  const indexedCounter = audienceIndex ? new IndexedAudienceCounter(audienceIndex, dictionary, sqlCounter) : null;
  const counter: AudienceCounter = indexedCounter ?? sqlCounter;
  jobs.register(
    pruneMemberChangesJob(() => (audienceIndex ? audienceIndex.prune() : AudienceIndex.pruneUnread(pool)), config.AUDIENCE_PRUNE_SECONDS),
  );
  const members = new MemberService(config.BRAND_ID, db, pool, dictionary, poolView, indexedCounter);
  const ledger = new PrivacyLedger(
    {
      brandId: config.BRAND_ID,
      secret: config.NODE_SECRET,
      timeZone: config.TIME_ZONE,
      threshold: config.K_THRESHOLD,
      epsilon: config.EPSILON,
      budgets: budgetLimits,
    },
    pool,
    dictionary,
    counter,
    audit,
  );
  // On pickup: the minimum audience first (every request asks it, so the charge tells nothing of
  // what follows), then the owner's rules; what neither decides waits for the approver.
  const decisionRules = [
    ...(config.MINIMUM_AUDIENCE_CHECK === "on" ? [minimumAudienceRule({ ledger, members, rules, brandId: config.BRAND_ID })] : []),
    sharingRulesRule(rules),
  ];
  const delay = { medianSeconds: config.AUTO_DECLINE_MEDIAN_SECONDS, sigma: config.AUTO_DECLINE_SIGMA };
  const decisions = new OutreachDecisions(
    { brandId: config.BRAND_ID, timeZone: config.TIME_ZONE, budgets: budgetLimits, links, releaseAt: (_request, now) => drawReleaseAt(delay, now) },
    pool,
    audit,
    decisionRules,
  );
  jobs.register(
    pullOutreachJob(new OutreachPuller(config.BRAND_ID, gateway, pool, audit, (tx, request) => decisions.onStored(tx, request)), config.OUTREACH_PULL_SECONDS),
  );
  jobs.register(releaseDeclinesJob(() => releaseHeldDeclines(config.BRAND_ID, pool, audit), config.AUTO_DECLINE_RELEASE_SECONDS));
  jobs.register(expireOutreachJob(() => expireOutreachRequests(config.BRAND_ID, db, pool, audit), config.OUTREACH_EXPIRE_SECONDS));
  const notifier =
    config.APPROVER_EMAIL && config.NOTIFY_SMTP_URL
      ? new ApproverNotifier(
          {
            brandId: config.BRAND_ID,
            to: config.APPROVER_EMAIL,
            from: config.NOTIFY_FROM ?? `brandpool@${config.BRAND_ID}.invalid`,
            smtpUrl: config.NOTIFY_SMTP_URL,
            expiryNoticeHours: config.EXPIRY_NOTICE_HOURS,
          },
          pool,
        )
      : null;
  if (notifier) jobs.register(notifyApproverJob(() => notifier.run(), config.NOTIFY_SECONDS));
  jobs.register(releaseOutreachResultsJob(ledger, config.OUTREACH_RESULTS_SECONDS));
  const budgets = new PrivacyBudgetService(config.BRAND_ID, config.TIME_ZONE, budgetLimits, config.EPSILON, db, pool, audit);
  const estimates = new EstimateService(members, ledger, {
    perPrincipal: new PerPrincipalLimiter({ points: config.ESTIMATE_RATE_LIMIT, perSeconds: 1 }),
    perBrand: new PerPrincipalLimiter({ points: config.ESTIMATE_BRAND_RATE_LIMIT, perSeconds: 1 }),
  });

  const instances = new Map<Function, unknown>([
    [MembersResolver, new MembersResolver(members)],
    [ImportSessionsResolver, new ImportSessionsResolver(new ImportSessionService(config.BRAND_ID, pool, members, audit))],
    [BrandResolver, new BrandResolver(estimates, poolView, budgets)],
    [BrandAuditResolver, new BrandAuditResolver(audit, () => fetchRecordedHeads(gateway))],
    [OutreachEvidenceResolver, new OutreachEvidenceResolver(new OutreachEvidence(config.BRAND_ID, config.NODE_SECRET, pool))],
    [PrivacyBudgetResolver, new PrivacyBudgetResolver(budgets, poolView)],
    [DenialResolver, new DenialResolver(audit)],
    [OutboxRefusalsResolver, new OutboxRefusalsResolver(new OutboxRefusalService(outbox))],
    [OutreachDecisionResolver, new OutreachDecisionResolver(decisions)],
    [OutreachTargetResolver, new OutreachTargetResolver(new OutreachTargetService(config.BRAND_ID, db))],
    [OutreachDeliveriesResolver, new OutreachDeliveriesResolver(new OutreachDeliveriesService(db, members))],
    [OutreachMailExportResolver, new OutreachMailExportResolver(new OutreachMailExportService(db, pool, audit, config.MAIL_EXPORT_DIR, config.MAIL_EXPORT_MAX_BYTES))],
    [CouponCheckResolver, new CouponCheckResolver(config.BRAND_ID, pool, audit)],
    [SharingRulesResolver, new SharingRulesResolver(rules)],
    [OutreachReviewResolver, new OutreachReviewResolver(new OutreachReviewService(config.BRAND_ID, db, rules, settings, dictionary))],
  ]);
  const resourceOf = (_action: Action, data: ResolverData<RequestContext>): Resource => {
    const root = data.root as { id?: unknown; brandId?: unknown } | undefined;
    // Entity fields concern the brand in their key (always this node's, see brand.reference.ts).
    const parent = data.info.parentType.name;
    const keyed = parent === "Brand" ? root?.id : parent === "OutreachTargetEvidence" ? root?.brandId : undefined;
    const id = typeof keyed === "string" ? keyed : config.BRAND_ID;
    return { kind: "brand", id, admitted: poolView.isAdmitted(id) };
  };
  const schema = await buildBrandSchema({
    brandId: config.BRAND_ID,
    container: { get: (someClass) => instances.get(someClass) },
    authChecker: createPolicyAuthChecker<RequestContext>({
      authorizer,
      principalOf: async (context) => {
        // Admission comes from the pool view: until its first sync, pool operations wait or fail
        // UNAVAILABLE rather than being decided on "not admitted".
        await poolView.requireReady();
        return context.principal();
      },
      resourceOf,
      onDeny: ({ action, principal, resource, context }) => audit.recordDenial(action, principal, resource, context),
    }),
  });

  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError: createFormatError(reportUnexpectedError(`node:${config.BRAND_ID}`)),
    includeStacktraceInErrorResponses: false,
    // runUntilSignal stops the whole service (HTTP, Apollo, the pool) in order on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
    // No traces in responses: they would carry timings and paths to the gateway and beyond.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const verify = forwardedTokenVerifier({
    audience: serviceAudience({ kind: "node", brandId: config.BRAND_ID }),
    trustedKeys: config.GATEWAY_KEYS,
  });
  const http = await serveGraphQL<RequestContext>({
    apollo,
    port: config.PORT,
    host: config.HOST,
    maxBodyBytes: MAX_BODY_BYTES,
    ready: () => poolView.ready,
    routes: async (req, res) => {
      try {
        return await routes(req, res);
      } catch (error) {
        reportUnexpectedError(`node:${config.BRAND_ID} opt-out`)(error);
        if (!res.headersSent) sendError(res, "INTERNAL");
        return true;
      }
    },
    serverTiming: config.SERVER_TIMING === "1",
    context: async (req, timings) => serviceContext(await callerFromRequest(req, verify, timings), (brandId) => poolView.isAdmitted(brandId), timings),
  });
  // pg-boss creates its schema in this database at the first start; the migrations do not own it.
  await jobs.start();
  // Loads in the background: counts are SQL's (exact) until it is in, then the index's.
  // One line when it is in (how many members, no one's data), for operators and the bench.
  const loadStarted = performance.now();
  // Its change feed: counts for other brands skip the catch-up while nothing changed.
  void audienceIndex?.watch(config.DATABASE_URL);
  void audienceIndex
    ?.load()
    .then(() => {
      const stats = audienceIndex.stats();
      if (stats) process.stdout.write(`audience index loaded: ${stats.members} members, ${(stats.bytes / 2 ** 20).toFixed(1)} MiB, in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s\n`);
    })
    .catch(reportUnexpectedError(`node:${config.BRAND_ID} audience index`));
  // What was addressed to this node while it was down is fetched now, not at the next tick, and
  // batches a killed process left are queued again.
  jobs.nudge(PULL_OUTREACH_JOB);
  jobs.nudge(SWEEP_SENDS_JOB);

  return {
    ...http,
    schema,
    async close() {
      // No more requests, so no more events; then the active runs end and what is still queued
      // goes out in one last push (bounded: the rest waits for the next start).
      await http.close();
      await jobs.stop(JOBS_STOP_MS);
      await Promise.all(Object.values(adapters).map((adapter) => adapter.close()));
      await pusher.flush(FINAL_PUSH_MS);
      notifier?.close();
      await apollo.stop();
      await pool.end();
      await audienceIndex?.unwatch();
      await indexPool?.end();
    },
  };
}
