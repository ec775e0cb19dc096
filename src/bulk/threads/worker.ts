/**
 * Worker entry for bulk evaluation, one of a pool that lives as long as the process: it
 * keeps the bundles it is sent (their engines and plans with them) and runs chunks of
 * matrix or diff work on them, answering each job with its result or its issues.
 */
import { parentPort } from "node:worker_threads";
import { diffCells, matrixCells, type CellTask, type DiffTask } from "../cells.js";
import { VeilError } from "../../errors.js";
import type { Bundle } from "../../model/bundle.js";

type Message =
  | { type: "bundle"; token: number; bundle: Bundle }
  | { type: "drop"; token: number }
  | { type: "job"; id: number; mode: "matrix" | "diff"; tokens: number[]; task: Omit<CellTask & DiffTask, "bundles"> };

const bundles = new Map<number, Bundle>();

parentPort!.on("message", (m: Message) => {
  if (m.type === "bundle") return void bundles.set(m.token, m.bundle);
  if (m.type === "drop") return void bundles.delete(m.token);
  try {
    const task = { ...m.task, bundles: m.tokens.map((t) => bundles.get(t)!) };
    if (m.mode === "matrix") {
      const cells = matrixCells(task);
      parentPort!.postMessage({ id: m.id, result: cells }, [cells.masked.buffer as ArrayBuffer, cells.rows.buffer as ArrayBuffer]);
    } else parentPort!.postMessage({ id: m.id, result: diffCells(task) });
  } catch (e) {
    if (e instanceof VeilError) parentPort!.postMessage({ id: m.id, issues: e.issues });
    else parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
