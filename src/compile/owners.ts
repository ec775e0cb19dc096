import type { Bundle, DataSourceModel } from "../model/bundle.js";
import type { OwnerRestrictions } from "../model/common.js";
import type { User } from "../model/user.js";

type UserRef = NonNullable<OwnerRestrictions["users"]>[number];
type GroupRef = NonNullable<OwnerRestrictions["groups"]>[number];

/** The users the bundle's `access` records make owners of a source. */
function ownersOf(ds: DataSourceModel, bundle: Bundle): User[] {
  const ids = new Set(bundle.access.filter((a) => a.dataSourceId === ds.id && a.state === "owner").map((a) => a.profileId));
  return bundle.users.filter((u) => ids.has(u.profileId));
}

/** A user reference: a profile id, a name or `userid`, or `{iamid, username}` [doc] (`iamid` defaults to Immuta's `bim`). */
function isUser(ref: UserRef, u: User): boolean {
  if (typeof ref === "number") return u.profileId === ref;
  if (typeof ref === "string") return u.name === ref || u.userid === ref;
  return (
    (ref.id === undefined || ref.id === u.profileId) &&
    (ref.name === undefined || ref.name === u.name) &&
    (ref.iamid === undefined || ref.iamid === (u.iamid ?? "bim")) &&
    (ref.username === undefined || ref.username === (u.userid ?? u.name))
  );
}

/**
 * Whether a policy's `ownerRestrictions` let it apply to a source: some owner of the
 * source is a listed user or in a listed group [doc]. No restriction (null, or no users
 * and no groups): every source. A group given only by id cannot be checked offline, so
 * it counts as matching: the policy applies, which hides rather than reveals [ours].
 */
export function ownersAllow(restrictions: unknown, ds: DataSourceModel, bundle: Bundle): boolean {
  const r = restrictions as OwnerRestrictions | null;
  if (!r || ((r.users?.length ?? 0) === 0 && (r.groups?.length ?? 0) === 0)) return true;
  const groupName = (g: GroupRef): string | undefined => (typeof g === "string" ? g : typeof g === "number" ? undefined : g.name);
  if ((r.groups ?? []).some((g) => groupName(g) === undefined)) return true;
  const owners = ownersOf(ds, bundle);
  return owners.some((u) => (r.users ?? []).some((ref) => isUser(ref, u)) || (r.groups ?? []).some((g) => (u.groups ?? []).includes(groupName(g)!)));
}
