/**
 * A floor-plan summary from detections: doors, windows, rooms and walls, as far as the
 * model's classes allow. A category the model has no class for is `unsupported` — never a
 * count of zero, which would claim the drawing has none.
 */
import type { DetectedObject } from "./detect";
import { round2, type Box } from "./geometry";

export const FLOORPLAN_CATEGORIES = ["door", "window", "room", "wall"] as const;
export type FloorplanCategory = (typeof FLOORPLAN_CATEGORIES)[number];

/** Class names (case-insensitive) that count as each category. */
export type FloorplanClasses = Record<FloorplanCategory, string[]>;

export const DEFAULT_FLOORPLAN_CLASSES: FloorplanClasses = {
  door: ["door", "doors"],
  window: ["window", "windows"],
  room: ["room", "rooms"],
  wall: ["wall", "walls"],
};

const normalise = (name: string) => name.trim().toLowerCase();

/** The model's class ids in each category. */
export function floorplanClassIds(classNames: readonly string[], classes: FloorplanClasses): Record<FloorplanCategory, number[]> {
  const out = {} as Record<FloorplanCategory, number[]>;
  for (const category of FLOORPLAN_CATEGORIES) {
    const wanted = new Set(classes[category].map(normalise));
    out[category] = classNames.flatMap((name, id) => (wanted.has(normalise(name)) ? [id] : []));
  }
  return out;
}

export type CategorySummary =
  | {
      status: "detected";
      /** The model classes counted here. */
      classes: string[];
      count: number;
      items: { class: string; confidence: number; box: Box; center: { x: number; y: number } }[];
    }
  | { status: "unsupported"; reason: string };

export interface FloorplanSummary {
  doors: CategorySummary;
  windows: CategorySummary;
  rooms: CategorySummary;
  walls: CategorySummary;
  /** Detections of the model's other classes, counted by class. */
  other: Record<string, number>;
}

export function summarizeFloorplan(
  objects: readonly DetectedObject[],
  classNames: readonly string[],
  classes: FloorplanClasses,
): FloorplanSummary {
  const ids = floorplanClassIds(classNames, classes);
  const categoryOf = new Map<number, FloorplanCategory>();
  for (const category of FLOORPLAN_CATEGORIES) for (const id of ids[category]) categoryOf.set(id, category);
  const summary = {} as Record<FloorplanCategory, CategorySummary>;
  for (const category of FLOORPLAN_CATEGORIES) {
    if (ids[category].length === 0) {
      summary[category] = { status: "unsupported", reason: `the model has no class named ${classes[category].map((n) => JSON.stringify(n)).join(" or ")} (AI_PARSING_FLOORPLAN_CLASSES maps others)` };
      continue;
    }
    const items = objects
      .filter((o) => categoryOf.get(o.classId) === category)
      .map((o) => ({ class: o.class, confidence: o.confidence, box: o.box, center: { x: round2((o.box.x1 + o.box.x2) / 2), y: round2((o.box.y1 + o.box.y2) / 2) } }));
    summary[category] = { status: "detected", classes: ids[category].map((id) => classNames[id] as string), count: items.length, items };
  }
  const other: Record<string, number> = {};
  for (const o of objects) if (!categoryOf.has(o.classId)) other[o.class] = (other[o.class] ?? 0) + 1;
  return { doors: summary.door, windows: summary.window, rooms: summary.room, walls: summary.wall, other };
}

/** True when the model has a class for at least one category. */
export function supportsFloorplans(classNames: readonly string[], classes: FloorplanClasses): boolean {
  const ids = floorplanClassIds(classNames, classes);
  return FLOORPLAN_CATEGORIES.some((c) => ids[c].length > 0);
}
