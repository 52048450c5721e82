import { describe, expect, it } from "vitest";
import { RELEASE_EVENT, STATUS_EVENT, compareOutreachLogs } from "./compare-outreach-logs.js";
import type { OwnerEvidence, PlatformOutreachEvent } from "./compare-outreach-logs.js";

const REQUEST = "5b0c6f1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e";
const released = { contacted: 290, delivered: 276, failed: null, redeemed: null, margin95: 30 };

const platform: PlatformOutreachEvent[] = [
  { type: STATUS_EVENT, brandId: "teabar", payload: { requestId: REQUEST, status: "APPROVED", nodeEventId: "s1" } },
  { type: RELEASE_EVENT, brandId: "teabar", payload: { requestId: REQUEST, releaseNumber: 1, released, commitment: "c1", nodeEventId: "r1" } },
];
const owner: OwnerEvidence = {
  brandId: "teabar",
  requestId: REQUEST,
  events: [
    { id: "x0", type: "outreach.received", status: null, release: null, released: null, commitment: null, commitmentHolds: null },
    { id: "s1", type: "outreach.approved", status: "APPROVED", release: null, released: null, commitment: null, commitmentHolds: null },
    { id: "r1", type: "outreach.results", status: null, release: "1", released, commitment: "c1", commitmentHolds: true },
  ],
};
const compare = (events = platform, evidence: OwnerEvidence | null = owner) => compareOutreachLogs(REQUEST, ["teabar"], events, new Map([["teabar", evidence]]));

describe("compareOutreachLogs", () => {
  it("finds nothing when both logs agree", () => {
    expect(compare()).toEqual([]);
  });

  it("names a status the owner's log does not hold, or holds as another status", () => {
    const other = { ...owner, events: owner.events.map((event) => (event.id === "s1" ? { ...event, type: "outreach.declined", status: "DECLINED" } : event)) };
    expect(compare(platform, other)).toEqual(["teabar: status APPROVED (node event s1) has no matching event in the owner's log"]);
  });

  it("names a released figure and a commitment that differ, and exact figures that no longer match their commitment", () => {
    const tampered = [platform[0], { ...platform[1], payload: { ...platform[1]?.payload, released: { ...released, contacted: 1000 }, commitment: "c2" } }] as PlatformOutreachEvent[];
    expect(compare(tampered)).toEqual([
      "teabar: release 1: the commitments differ",
      "teabar: release 1: released contacted differs (platform log 1000, owner's log 290)",
    ]);
    const broken = { ...owner, events: owner.events.map((event) => (event.id === "r1" ? { ...event, commitmentHolds: false } : event)) };
    expect(compare(platform, broken)).toEqual(["teabar: release 1 (node event r1): the owner's exact figures do not match its commitment"]);
  });

  it("names a release missing from the platform log, evidence that cannot be read or is about something else, and events from a non-target", () => {
    expect(compare(platform.slice(0, 1))).toEqual(["teabar: release 1 (node event r1) is not in the platform log"]);
    expect(compare(platform, null)).toEqual(["teabar: the owner's log could not be read"]);
    expect(compare(platform, { ...owner, brandId: "stylehub" })).toEqual(["teabar: the owner's answer is about another brand or request"]);
    const stray = [...platform, { type: STATUS_EVENT, brandId: "stylehub", payload: { requestId: REQUEST, status: "SENT", nodeEventId: "z" } }];
    expect(compare(stray)).toEqual(["stylehub: pushed node.outreach.status for a request it is not a target of"]);
  });
});
