import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { publisherSchema } from "../provider/resources/publisher";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type PublisherArgs = Args<z.input<typeof publisherSchema>>;

/**
 * A publisher of extension plug-ins. The API has no update: any change replaces the publisher, and
 * a create is refused when an identical publisher already exists. See docs/resources/publisher.md.
 */
export class Publisher extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly enName: pulumi.Output<string | undefined>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly website: pulumi.Output<string | undefined>;
  declare readonly supportUrl: pulumi.Output<string | undefined>;
  declare readonly sourceUrl: pulumi.Output<string | undefined>;
  declare readonly logoUrl: pulumi.Output<string | undefined>;
  declare readonly iconFile: pulumi.Output<string | undefined>;
  declare readonly adoptId: pulumi.Output<string | undefined>;
  /** `publisher_unique_id`, the same as `id`. */
  declare readonly publisherId: pulumi.Output<string>;
  /** Where the service keeps the uploaded icon, when `iconFile` is set. */
  declare readonly iconPath: pulumi.Output<string | undefined>;
  declare readonly userId: pulumi.Output<string | undefined>;
  declare readonly tenantId: pulumi.Output<string | undefined>;
  declare readonly authStatus: pulumi.Output<string | undefined>;
  declare readonly lastUpdateUserName: pulumi.Output<string | undefined>;
  declare readonly lastUpdateUserId: pulumi.Output<string | undefined>;
  declare readonly lastUpdateTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: PublisherArgs, opts?: pulumi.CustomResourceOptions) {
    const optional = { enName: undefined, description: undefined, website: undefined, supportUrl: undefined, sourceUrl: undefined, logoUrl: undefined, iconFile: undefined, adoptId: undefined };
    const outputs = { publisherId: undefined, iconPath: undefined, userId: undefined, tenantId: undefined, authStatus: undefined, lastUpdateUserName: undefined, lastUpdateUserId: undefined, lastUpdateTime: undefined };
    super(dynamicProvider("Publisher"), name, { ...optional, ...outputs, ...args }, opts, "codearts", "Publisher");
  }

  /** Reads an existing publisher into the program without managing it; `id` is its `publisher_unique_id`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Publisher {
    return new Publisher(name, {} as PublisherArgs, { ...opts, id });
  }
}
