/** Worker entry for bulk evaluation: runs one share and posts the result back. */
import { parentPort, workerData } from "node:worker_threads";
import { diffCells, matrixCells, type CellTask, type DiffTask } from "../cells.js";

const { mode, task } = workerData as { mode: "matrix" | "diff"; task: CellTask & DiffTask };
if (mode === "matrix") {
  const cells = matrixCells(task);
  parentPort!.postMessage(cells, [cells.masked.buffer as ArrayBuffer, cells.rows.buffer as ArrayBuffer]);
} else {
  parentPort!.postMessage(diffCells(task));
}
