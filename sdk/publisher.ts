import * as pulumi from "@pulumi/pulumi";
import { publisherOutputKeys, type PublisherDeclared, type PublisherOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type PublisherArgs = Args<PublisherDeclared>;

/**
 * A publisher of extension plug-ins. The API has no update: any change replaces the publisher, and
 * a create is refused when an identical publisher already exists. See docs/resources/publisher.md.
 */
export class Publisher extends KindResource {
  constructor(name: string, args: PublisherArgs, opts?: pulumi.CustomResourceOptions) {
    super("Publisher", name, withOutputKeys(publisherOutputKeys, args), opts);
  }

  /** Reads an existing publisher into the program without managing it; `id` is its `publisher_unique_id`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Publisher {
    return new Publisher(name, {} as PublisherArgs, { ...opts, id });
  }
}

// The output properties, from the generated PublisherOutputs (class and interface merge).
export interface Publisher extends OutputProperties<PublisherOutputs> {}
