import type { Region } from "./taxonomy.data.js";

/**
 * Real cities and districts, grouped by the region tag they belong to, so that an address always
 * agrees with the member's `region:*` tag. Weights roughly follow urban population.
 */
export interface City {
  /** Empty for the four municipalities, whose city name is already the province-level name. */
  readonly province: string;
  readonly city: string;
  readonly districts: readonly string[];
  readonly weight: number;
}

export const CITIES_BY_REGION: Readonly<Record<Region, readonly City[]>> = {
  east: [
    { province: "", city: "上海市", weight: 24, districts: ["浦东新区", "徐汇区", "静安区", "黄浦区", "长宁区", "普陀区", "杨浦区", "闵行区", "宝山区"] },
    { province: "浙江省", city: "杭州市", weight: 12, districts: ["西湖区", "上城区", "拱墅区", "滨江区", "余杭区", "萧山区"] },
    { province: "江苏省", city: "南京市", weight: 9, districts: ["玄武区", "秦淮区", "鼓楼区", "建邺区", "栖霞区", "江宁区"] },
    { province: "江苏省", city: "苏州市", weight: 10, districts: ["姑苏区", "吴中区", "相城区", "虎丘区", "吴江区"] },
    { province: "江苏省", city: "无锡市", weight: 5, districts: ["梁溪区", "滨湖区", "新吴区", "锡山区"] },
    { province: "浙江省", city: "宁波市", weight: 6, districts: ["海曙区", "江北区", "鄞州区", "北仑区"] },
    { province: "安徽省", city: "合肥市", weight: 7, districts: ["蜀山区", "包河区", "庐阳区", "瑶海区"] },
    { province: "福建省", city: "福州市", weight: 5, districts: ["鼓楼区", "台江区", "仓山区", "晋安区"] },
    { province: "福建省", city: "厦门市", weight: 4, districts: ["思明区", "湖里区", "集美区", "海沧区"] },
    { province: "山东省", city: "济南市", weight: 6, districts: ["历下区", "市中区", "槐荫区", "天桥区"] },
    { province: "山东省", city: "青岛市", weight: 7, districts: ["市南区", "市北区", "崂山区", "黄岛区", "李沧区"] },
    { province: "江西省", city: "南昌市", weight: 5, districts: ["东湖区", "西湖区", "青山湖区", "红谷滩区"] },
  ],
  north: [
    { province: "", city: "北京市", weight: 40, districts: ["朝阳区", "海淀区", "东城区", "西城区", "丰台区", "石景山区", "通州区", "昌平区"] },
    { province: "", city: "天津市", weight: 18, districts: ["和平区", "河西区", "南开区", "河东区", "滨海新区"] },
    { province: "河北省", city: "石家庄市", weight: 12, districts: ["长安区", "桥西区", "新华区", "裕华区"] },
    { province: "山西省", city: "太原市", weight: 8, districts: ["小店区", "迎泽区", "杏花岭区", "万柏林区"] },
    { province: "内蒙古自治区", city: "呼和浩特市", weight: 5, districts: ["新城区", "回民区", "赛罕区", "玉泉区"] },
  ],
  south: [
    { province: "广东省", city: "广州市", weight: 30, districts: ["天河区", "越秀区", "海珠区", "荔湾区", "白云区", "番禺区"] },
    { province: "广东省", city: "深圳市", weight: 30, districts: ["福田区", "罗湖区", "南山区", "宝安区", "龙岗区", "龙华区"] },
    { province: "广东省", city: "佛山市", weight: 12, districts: ["禅城区", "南海区", "顺德区"] },
    { province: "广西壮族自治区", city: "南宁市", weight: 10, districts: ["青秀区", "兴宁区", "江南区", "西乡塘区"] },
    { province: "海南省", city: "海口市", weight: 5, districts: ["龙华区", "美兰区", "秀英区", "琼山区"] },
  ],
  central: [
    { province: "湖北省", city: "武汉市", weight: 35, districts: ["江汉区", "武昌区", "江岸区", "洪山区", "汉阳区", "硚口区"] },
    { province: "湖南省", city: "长沙市", weight: 30, districts: ["岳麓区", "芙蓉区", "天心区", "开福区", "雨花区"] },
    { province: "河南省", city: "郑州市", weight: 30, districts: ["金水区", "二七区", "中原区", "管城回族区"] },
  ],
  southwest: [
    { province: "四川省", city: "成都市", weight: 35, districts: ["锦江区", "青羊区", "武侯区", "成华区", "金牛区"] },
    { province: "", city: "重庆市", weight: 30, districts: ["渝中区", "江北区", "南岸区", "沙坪坝区", "九龙坡区", "渝北区"] },
    { province: "云南省", city: "昆明市", weight: 12, districts: ["五华区", "盘龙区", "官渡区", "西山区"] },
    { province: "贵州省", city: "贵阳市", weight: 10, districts: ["南明区", "云岩区", "观山湖区", "花溪区"] },
  ],
  northwest: [
    { province: "陕西省", city: "西安市", weight: 40, districts: ["雁塔区", "碑林区", "莲湖区", "新城区", "未央区"] },
    { province: "甘肃省", city: "兰州市", weight: 12, districts: ["城关区", "七里河区", "安宁区", "西固区"] },
    { province: "新疆维吾尔自治区", city: "乌鲁木齐市", weight: 12, districts: ["天山区", "沙依巴克区", "新市区", "水磨沟区"] },
    { province: "宁夏回族自治区", city: "银川市", weight: 6, districts: ["兴庆区", "金凤区", "西夏区"] },
    { province: "青海省", city: "西宁市", weight: 5, districts: ["城东区", "城中区", "城西区", "城北区"] },
  ],
  northeast: [
    { province: "辽宁省", city: "沈阳市", weight: 25, districts: ["和平区", "沈河区", "皇姑区", "铁西区", "浑南区"] },
    { province: "辽宁省", city: "大连市", weight: 18, districts: ["中山区", "西岗区", "沙河口区", "甘井子区"] },
    { province: "黑龙江省", city: "哈尔滨市", weight: 25, districts: ["南岗区", "道里区", "道外区", "香坊区"] },
    { province: "吉林省", city: "长春市", weight: 20, districts: ["朝阳区", "南关区", "宽城区", "绿园区"] },
  ],
};

/** Road names found in almost every Chinese city, so no pairing with a city can look wrong. */
export const ROADS: readonly string[] = [
  "人民路", "中山路", "解放路", "建设路", "和平路", "新华路", "文化路", "长江路", "黄河路",
  "胜利路", "友谊路", "光明路", "青年路", "学院路", "滨江路", "朝阳路", "东风路", "工业路",
  "体育路", "花园路", "民主路", "健康路", "幸福路", "迎宾大道", "世纪大道", "金桥路",
];

export const COMPOUNDS: readonly string[] = [
  "阳光花园", "锦绣家园", "幸福里", "翠湖苑", "和平小区", "金色港湾", "世纪花园", "东方名苑",
  "滨江花园", "新华小区", "碧水湾", "桂花园", "紫荆苑", "书香门第", "云水湾", "南湖新城",
  "怡景苑", "丽都花园", "康乐新村", "梧桐苑",
];
