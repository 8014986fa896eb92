/** EN 12464-1 maintained illuminance Ēm and uniformity Uo by task or room. */
export const ROOM_TYPES = [
  "office",
  "technical-drawing",
  "conference",
  "reception",
  "filing-copying",
  "archive",
  "corridor",
  "classroom",
  "classroom-adult",
] as const;
export type RoomType = (typeof ROOM_TYPES)[number];

export interface LightingTarget {
  illuminanceLux: number;
  uniformity: number;
  description: string;
}

export const EN12464_TARGETS: Record<RoomType, LightingTarget> = {
  office: { illuminanceLux: 500, uniformity: 0.6, description: "writing, typing, reading, data processing" },
  "technical-drawing": { illuminanceLux: 750, uniformity: 0.7, description: "technical drawing" },
  conference: { illuminanceLux: 500, uniformity: 0.6, description: "conference and meeting rooms" },
  reception: { illuminanceLux: 300, uniformity: 0.6, description: "reception desk" },
  "filing-copying": { illuminanceLux: 300, uniformity: 0.4, description: "filing, copying" },
  archive: { illuminanceLux: 200, uniformity: 0.4, description: "archives" },
  corridor: { illuminanceLux: 100, uniformity: 0.4, description: "corridors" },
  classroom: { illuminanceLux: 300, uniformity: 0.6, description: "classrooms" },
  "classroom-adult": { illuminanceLux: 500, uniformity: 0.6, description: "classrooms for adult education / evening classes" },
};

export interface Verdict {
  standard: "EN 12464-1";
  roomType: RoomType;
  target: LightingTarget;
  meetsIlluminance: boolean;
  meetsUniformity: boolean;
  compliant: boolean;
}

export function verdict(roomType: RoomType, mean: number, uniformity: number): Verdict {
  const target = EN12464_TARGETS[roomType];
  const meetsIlluminance = mean >= target.illuminanceLux;
  const meetsUniformity = uniformity >= target.uniformity;
  return { standard: "EN 12464-1", roomType, target, meetsIlluminance, meetsUniformity, compliant: meetsIlluminance && meetsUniformity };
}
