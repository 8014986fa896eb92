/** HTTP details the kit leaves to services: a success status other than 200. */
import type { FastifyRequest } from "fastify";
import type { Service } from "@abode/service-kit";

const statuses = new WeakMap<FastifyRequest, number>();

/** The kit's handlers return the body; this sets the status it is sent with (201, 202). */
export function respondWith(request: FastifyRequest, status: number): void {
  statuses.set(request, status);
}

/** Installs the hook that applies `respondWith`; once per service. */
export function enableResponseStatus(service: Service): void {
  service.app.addHook("onSend", (request, reply, payload, done) => {
    const status = statuses.get(request);
    if (status !== undefined && reply.statusCode === 200) reply.code(status);
    done(null, payload);
  });
}
