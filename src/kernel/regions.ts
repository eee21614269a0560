// The regions Huawei Cloud has, with the names IAM's region API reports.

export interface RegionInfo {
  id: string;
  en: string;
  zh: string;
}

export const REGIONS: RegionInfo[] = [
  { id: "cn-north-1", en: "CN North-Beijing1", zh: "华北-北京一" },
  { id: "cn-north-4", en: "CN North-Beijing4", zh: "华北-北京四" },
  { id: "cn-north-9", en: "CN North-Ulanqab1", zh: "华北-乌兰察布一" },
  { id: "cn-east-2", en: "CN East-Shanghai2", zh: "华东-上海二" },
  { id: "cn-east-3", en: "CN East-Shanghai1", zh: "华东-上海一" },
  { id: "cn-south-1", en: "CN South-Guangzhou", zh: "华南-广州" },
  { id: "cn-southwest-2", en: "CN Southwest-Guiyang1", zh: "西南-贵阳一" },
  { id: "ap-southeast-1", en: "CN-Hong Kong", zh: "中国-香港" },
  { id: "ap-southeast-2", en: "AP-Bangkok", zh: "亚太-曼谷" },
  { id: "ap-southeast-3", en: "AP-Singapore", zh: "亚太-新加坡" },
  { id: "ap-southeast-4", en: "AP-Jakarta", zh: "亚太-雅加达" },
  { id: "af-south-1", en: "AF-Johannesburg", zh: "非洲-约翰内斯堡" },
  { id: "sa-brazil-1", en: "LA-Sao Paulo1", zh: "拉美-圣保罗一" },
  { id: "la-south-2", en: "LA-Santiago", zh: "拉美-圣地亚哥" },
  { id: "la-north-2", en: "LA-Mexico City2", zh: "拉美-墨西哥城二" },
  { id: "na-mexico-1", en: "LA-Mexico City1", zh: "拉美-墨西哥城一" },
  { id: "tr-west-1", en: "TR-Istanbul", zh: "土耳其-伊斯坦布尔" },
  { id: "me-east-1", en: "ME-Riyadh", zh: "中东-利雅得" },
  { id: "eu-west-101", en: "EU-Dublin", zh: "欧洲-都柏林" },
  { id: "eu-west-0", en: "EU-Paris", zh: "欧洲-巴黎" },
];

export function findRegion(id: string): RegionInfo | undefined {
  return REGIONS.find((r) => r.id === id);
}

/** The region a project belongs to: its name is "<region>" or "<region>_<suffix>". */
export function regionOfProjectName(name: string): RegionInfo | undefined {
  const base = name.split("_")[0] ?? "";
  return findRegion(base);
}

/** The availability zones hwlocal offers in a region: "<region>a", "<region>b", "<region>c". */
export function availabilityZones(regionId: string): string[] {
  return ["a", "b", "c"].map((z) => `${regionId}${z}`);
}
