import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { CoordinatorContext } from "../auth/request-context.js";
import { Brand, BrandRoute } from "./brand.type.js";
import { RegisterBrandInput, UpdateBrandInput } from "./brand.input.js";
import type { BrandRecord } from "./brand.repository.js";
import type { RegistryService } from "./registry.service.js";

function toBrand(record: BrandRecord): Brand {
  return { id: record.id, name: record.name, nameZh: record.nameZh, admitted: record.admitted, timeZone: record.timeZone };
}

@Resolver(() => Brand)
export class RegistryResolver {
  constructor(private readonly registry: RegistryService) {}

  @Authorized("ReadBrands")
  @Query(() => [Brand], { description: "The brands of the pool." })
  async brands(): Promise<Brand[]> {
    return (await this.registry.list()).map(toBrand);
  }

  @Authorized("ReadBrands")
  @Query(() => Brand, {
    nullable: true,
    description: "One brand; its other fields are answered by that brand's own node. Null (with NOT_FOUND) for an unknown id.",
  })
  async brand(@Arg("id", () => ID) id: string): Promise<Brand> {
    return toBrand(await this.registry.get(id));
  }

  @Authorized("ReadRoutingTable")
  @Query(() => [BrandRoute], { description: "Node URLs and keys. The gateway's only." })
  async routingTable(): Promise<BrandRoute[]> {
    return (await this.registry.list()).map((brand) => ({
      id: brand.id,
      nodeUrl: brand.nodeUrl,
      admitted: brand.admitted,
      issuer: brand.issuer,
      issuerKeys: brand.issuerKeys as Record<string, unknown>,
      nodeKey: brand.nodeKey as Record<string, unknown>,
      gatewayKeys: (brand.gatewayKeys as Record<string, unknown> | null) ?? null,
    }));
  }

  @Authorized("ManageRegistry")
  @Mutation(() => Brand, { description: "Registers a brand (not yet admitted). Platform admins only; audited." })
  async registerBrand(@Arg("input", () => RegisterBrandInput) input: RegisterBrandInput, @Ctx() context: CoordinatorContext): Promise<Brand> {
    return toBrand(await this.registry.register(await context.principal(), input));
  }

  @Authorized("ManageRegistry")
  @Mutation(() => Brand, { description: "Changes a brand's name, URL or keys. Platform admins only; audited." })
  async updateBrand(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateBrandInput) input: UpdateBrandInput,
    @Ctx() context: CoordinatorContext,
  ): Promise<Brand> {
    return toBrand(await this.registry.update(await context.principal(), id, input));
  }

  @Authorized("ManageRegistry")
  @Mutation(() => Brand, { description: "Admits a brand to the pool, or suspends it. Platform admins only; audited." })
  async setBrandAdmitted(
    @Arg("id", () => ID) id: string,
    @Arg("admitted", () => Boolean) admitted: boolean,
    @Ctx() context: CoordinatorContext,
  ): Promise<Brand> {
    return toBrand(await this.registry.setAdmitted(await context.principal(), id, admitted));
  }
}
