import { z } from "zod";
import { DESTINATION_KINDS, destinationSettingSchema } from "../domain/alerts/destination-settings";

/**
 * POST /api/alerts/destinations: a destination as the environments file takes one (name, kind, and
 * url, secret or routingKey by kind). One object, for the API's description and the form; which
 * fields a kind takes is destinationSettingSchema's. Its URL is checked against the allow-list by the operation.
 */
const text = z.string({ error: "must be a string" });
export const createDestinationSchema = z
  .object({
    name: text,
    kind: z.enum(DESTINATION_KINDS, {
      error: `must be one of ${DESTINATION_KINDS.join(", ")}`,
    }),
    url: text.optional(),
    secret: text.optional(),
    routingKey: text.optional(),
  })
  .pipe(destinationSettingSchema);

export type CreateDestinationRequest = z.output<typeof createDestinationSchema>;

/** DELETE /api/alerts/destinations/{id}: the store's id of a destination added on the alerts page. */
export const destinationParams = z.object({
  id: z.uuid("not the id of a destination added on the alerts page"),
});

/** What a client sends: PagerDuty's URL may be left out. */
export type CreateDestinationBody = z.input<typeof createDestinationSchema>;
