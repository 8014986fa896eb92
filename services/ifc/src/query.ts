/** Query parameters of the routes, validated with zod; a failure is a 400 naming each parameter. */
import { z } from "zod";
import type { Selector } from "./geometry";

const GLOBAL_ID = /^[0-3][0-9A-Za-z_$]{21}$/;
const EXPRESS_ID = /^[1-9]\d{0,9}$/;
const TYPE_NAME = /^Ifc[A-Za-z0-9]+$/i;
const MAX_SELECTORS = 10_000;

/** `?x=a&x=b` and `?x=a,b` mean the same. */
const list = z.union([z.string(), z.array(z.string())]).transform((value) => (Array.isArray(value) ? value.join(",") : value));

const selectors = list.transform((value, ctx): Selector[] => {
  const tokens = value.split(",").map((t) => t.trim());
  if (tokens.length > MAX_SELECTORS) {
    ctx.addIssue({ code: "custom", message: `At most ${MAX_SELECTORS} ids` });
    return [];
  }
  return tokens.map((token, i): Selector => {
    if (GLOBAL_ID.test(token)) return { kind: "globalId", value: token };
    if (EXPRESS_ID.test(token)) return { kind: "expressId", value: Number(token) };
    if (TYPE_NAME.test(token)) return { kind: "type", value: token };
    ctx.addIssue({ code: "custom", path: [i], message: "Expected a GlobalId (22 characters), an express id or an IFC type name such as IfcWall" });
    return { kind: "expressId", value: 0 };
  });
});

export const ValidateQuery = z.strictObject({});

export const ElementsQuery = z.strictObject({
  element: z.string().regex(new RegExp(`${GLOBAL_ID.source}|${EXPRESS_ID.source}`), "Expected a GlobalId (22 characters) or an express id").optional(),
});

export const GeometryQuery = z.strictObject({
  ids: selectors.optional(),
  format: z.enum(["glb", "json"]).default("glb"),
});
