// The flavor catalogue every region offers: static data, not a table. Names follow Huawei's scheme
// <family><generation>.<size>.<ratio>, where size gives the vCPUs (small/medium 1, large 2, xlarge 4,
// 2xlarge 8, 4xlarge 16) and ratio the GiB of RAM per vCPU. Bandwidth and PPS figures are illustrative.

export interface FlavorFamily {
  /** "s6", "c7": the prefix of the names and ecs:generation. */
  generation: string;
  /** ecs:performancetype */
  performanceType: "normal" | "computingv3" | "highmem" | "kunpeng_computing";
  architecture: "x86" | "arm64";
  cpuName: string;
  /** resource_type, the host pool a flavor comes from. */
  resourceType: string;
  /** Zone letters of the region ("a", "b", "c") in which the family is sold; all when absent. */
  zones?: readonly string[];
  sizes: readonly string[];
}

export interface FlavorSpec {
  id: string;
  vcpus: number;
  /** MB */
  ram: number;
  family: FlavorFamily;
}

const FAMILIES: readonly FlavorFamily[] = [
  {
    generation: "s6",
    performanceType: "normal",
    architecture: "x86",
    cpuName: "Intel Cascade Lake 2.6GHz",
    resourceType: "IOoptimizedS6",
    sizes: ["small.1", "medium.2", "medium.4", "large.2", "large.4", "xlarge.2", "xlarge.4", "2xlarge.2", "2xlarge.4"],
  },
  {
    generation: "t6",
    performanceType: "normal",
    architecture: "x86",
    cpuName: "Intel Cascade Lake 2.6GHz",
    resourceType: "IOoptimizedT6",
    sizes: ["small.1", "large.1", "large.2", "xlarge.2"],
  },
  {
    generation: "c7",
    performanceType: "computingv3",
    architecture: "x86",
    cpuName: "Intel Ice Lake 3.0GHz",
    resourceType: "IOoptimizedC7",
    sizes: ["large.2", "large.4", "xlarge.2", "xlarge.4", "2xlarge.2", "2xlarge.4", "4xlarge.2", "4xlarge.4"],
  },
  {
    generation: "m7",
    performanceType: "highmem",
    architecture: "x86",
    cpuName: "Intel Ice Lake 3.0GHz",
    resourceType: "IOoptimizedM7",
    zones: ["a", "b"],
    sizes: ["large.8", "xlarge.8", "2xlarge.8", "4xlarge.8"],
  },
  {
    generation: "kc1",
    performanceType: "kunpeng_computing",
    architecture: "arm64",
    cpuName: "Huawei Kunpeng 920 2.6GHz",
    resourceType: "IOoptimizedKC1",
    zones: ["a", "b"],
    sizes: ["large.2", "xlarge.2", "2xlarge.2"],
  },
];

const VCPUS: Record<string, number> = { small: 1, medium: 1, large: 2, xlarge: 4, "2xlarge": 8, "4xlarge": 16 };

function expand(family: FlavorFamily): FlavorSpec[] {
  return family.sizes.map((size) => {
    const [word, ratio] = size.split(".");
    const vcpus = VCPUS[word!];
    if (vcpus === undefined || ratio === undefined) throw new Error(`flavor size ${size} is malformed`);
    return { id: `${family.generation}.${size}`, vcpus, ram: vcpus * Number(ratio) * 1024, family };
  });
}

export const FLAVORS: readonly FlavorSpec[] = FAMILIES.flatMap(expand);

const BY_ID = new Map(FLAVORS.map((f) => [f.id, f]));

export function findFlavor(id: string): FlavorSpec | undefined {
  return BY_ID.get(id);
}

/** The region's zones in which a flavor is sold. */
export function flavorZones(flavor: FlavorSpec, regionZones: readonly string[]): string[] {
  const letters = flavor.family.zones;
  return letters ? regionZones.filter((z) => letters.includes(z.slice(-1))) : [...regionZones];
}
