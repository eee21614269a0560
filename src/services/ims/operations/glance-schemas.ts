// Glance's JSON schemas of the image and member documents (GlanceShowImageSchemas, GlanceListImageSchemas,
// GlanceShowImageMemberSchemas, GlanceListImageMemberSchemas), describing the fields views.ts writes. Public,
// static documents: the same for every caller.
import { imsOperation } from "../context.ts";
import { IMAGE_STATUSES } from "../model.ts";
import { MEMBER_STATUSES } from "../store-sharing.ts";

type Property = Record<string, unknown>;

const str = (description: string, extra: Property = {}): Property => ({ type: "string", description, ...extra });
const nullableStr = (description: string): Property => ({ type: ["null", "string"], description });
const int = (description: string): Property => ({ type: "integer", description });

const IMAGE_PROPERTIES: Record<string, Property> = {
  id: str("An identifier for the image", { pattern: "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$" }),
  name: nullableStr("Descriptive name for the image"),
  status: str("Status of the image", { enum: [...IMAGE_STATUSES], readOnly: true }),
  visibility: str("Scope of image accessibility", { enum: ["public", "private", "shared"] }),
  protected: { type: "boolean", description: "If true, image will not be deletable." },
  owner: nullableStr("Owner of the image"),
  min_disk: int("Amount of disk space (in GB) required to boot image."),
  min_ram: int("Amount of ram (in MB) required to boot image."),
  max_ram: str("Maximum amount of ram (in MB) the image supports"),
  disk_format: { type: ["null", "string"], description: "Format of the disk", enum: [null, "vhd", "zvhd", "zvhd2", "raw", "qcow2", "vmdk", "iso"] },
  container_format: { type: ["null", "string"], description: "Format of the container", enum: [null, "bare"] },
  size: { type: ["null", "integer"], description: "Size of image file in bytes", readOnly: true },
  virtual_size: { type: ["null", "integer"], description: "Virtual size of image in bytes", readOnly: true },
  checksum: { type: ["null", "string"], description: "md5 hash of image contents.", readOnly: true, maxLength: 32 },
  tags: { type: "array", description: "List of strings related to the image", items: { type: "string", maxLength: 255 } },
  created_at: str("Date and time of image registration", { readOnly: true }),
  updated_at: str("Date and time of the last image modification", { readOnly: true }),
  active_at: str("Date and time the image became active", { readOnly: true }),
  self: str("An image self url", { readOnly: true }),
  file: str("An image file url", { readOnly: true }),
  schema: str("An image schema url", { readOnly: true }),
  __imagetype: str("Image type: gold (public), private, shared or market", { enum: ["gold", "private", "shared", "market"] }),
  __os_type: str("Operating system type", { enum: ["Linux", "Windows", "Other"] }),
  __platform: str("Operating system platform"),
  __os_bit: str("Operating system bits", { enum: ["32", "64"] }),
  __os_version: str("Operating system version"),
  __description: str("Image description", { maxLength: 1024 }),
  __isregistered: str("Whether the image is registered"),
  __image_source_type: str("Image storage backend"),
  __image_size: str("Size of the image file in bytes"),
  __lazyloading: str("Whether the image supports lazy loading"),
  __originalimagename: str("Parent image id"),
  __support_kvm: str("Whether the image supports KVM"),
  __data_origin: str("Where the image comes from"),
  enterprise_project_id: str("Enterprise project of the image"),
  virtual_env_type: str("Environment the image is used in", { enum: ["FusionCompute", "Ironic", "DataImage", "IsoImage"] }),
  hw_firmware_type: str("Boot firmware", { enum: ["bios", "uefi"] }),
};

const IMAGE_LINKS = [
  { rel: "self", href: "{self}" },
  { rel: "enclosure", href: "{file}" },
  { rel: "describedby", href: "{schema}" },
];

const imageSchema = {
  name: "image",
  properties: IMAGE_PROPERTIES,
  additionalProperties: { type: "string" },
  links: IMAGE_LINKS,
};

const imagesSchema = {
  name: "images",
  properties: {
    images: { type: "array", items: imageSchema },
    schema: { type: "string" },
    first: { type: "string" },
    next: { type: "string" },
  },
  links: [
    { rel: "first", href: "{first}" },
    { rel: "next", href: "{next}" },
    { rel: "describedby", href: "{schema}" },
  ],
};

const memberSchema = {
  name: "member",
  properties: {
    member_id: str("An identifier for the image member (the project id)"),
    image_id: str("An identifier for the image"),
    status: str("The status of this image member", { enum: [...MEMBER_STATUSES] }),
    created_at: str("Date and time of image member creation"),
    updated_at: str("Date and time of last modification of image member"),
    schema: str("An image member schema url", { readOnly: true }),
  },
};

const membersSchema = {
  name: "members",
  properties: { members: { type: "array", items: memberSchema }, schema: { type: "string" } },
  links: [{ rel: "describedby", href: "{schema}" }],
};

const schemaOperation = (name: string, path: string, body: object) =>
  imsOperation({
    name,
    method: "GET",
    path,
    handle: () => ({ body }),
  });

export const glanceSchemaOperations = [
  schemaOperation("GlanceShowImageSchemas", "/v2/schemas/image", imageSchema),
  schemaOperation("GlanceListImageSchemas", "/v2/schemas/images", imagesSchema),
  schemaOperation("GlanceShowImageMemberSchemas", "/v2/schemas/member", memberSchema),
  schemaOperation("GlanceListImageMemberSchemas", "/v2/schemas/members", membersSchema),
];
