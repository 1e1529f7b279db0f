using MockMdm.Profiles;
using MockMdm.Store;

namespace MockMdm.Api;

/// <summary>/api/groups: user groups (members by UPN) and device groups (members by managed device ID) for assignments.</summary>
internal static class GroupsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/groups");
        groups.MapGet("", (IMdmStore store) => Results.Json(new { value = store.Read(v => v.List<GroupRecord>().Select(Render).ToList()) }));
        groups.MapGet("/{id}", (string id, IMdmStore store) =>
            store.Find<GroupRecord>(id) is { } g ? Results.Json(Render(g)) : NotFound(id));
        groups.MapPost("", async (HttpRequest request, IMdmStore store, IdGenerator ids, ProfileService profiles) =>
        {
            var (body, error) = await ApiSupport.ReadObjectAsync(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            var errors = new List<string>();
            var name = ApiSupport.OptionalString(body, "displayName", errors);
            var kind = ApiSupport.OptionalString(body, "groupType", errors);
            var members = ApiSupport.OptionalStrings(body, "members", errors) ?? [];
            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add("'displayName' is required");
            }

            GroupKind parsed = default;
            if (kind is not ("user" or "device"))
            {
                errors.Add($"'groupType' must be \"user\" or \"device\", not '{kind}'");
            }
            else
            {
                parsed = kind == "user" ? GroupKind.User : GroupKind.Device;
            }

            if (errors.Count > 0)
            {
                return ApiSupport.BadRequest(string.Join("; ", errors));
            }

            var group = new GroupRecord { Id = ids.NewId(), DisplayName = name!, Kind = parsed, Members = members };
            store.Write(tx =>
            {
                tx.Put(group);
                profiles.ReconcileAll(tx);
            });
            return Results.Json(Render(group), statusCode: 201);
        });
        groups.MapPut("/{id}/members", async (string id, HttpRequest request, IMdmStore store, ProfileService profiles) =>
        {
            var (body, error) = await ApiSupport.ReadObjectAsync(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            var errors = new List<string>();
            var members = ApiSupport.OptionalStrings(body, "members", errors);
            if (members is null && errors.Count == 0)
            {
                errors.Add("'members' is required");
            }

            if (errors.Count > 0)
            {
                return ApiSupport.BadRequest(string.Join("; ", errors));
            }

            return store.Write(tx =>
            {
                if (tx.Find<GroupRecord>(id) is not { } group)
                {
                    return NotFound(id);
                }

                group.Members = members!;
                tx.Put(group);
                profiles.ReconcileAll(tx);
                return Results.Json(Render(group));
            });
        });
    }

    private static IResult NotFound(string id) => ApiSupport.NotFound($"group '{id}' does not exist");

    private static object Render(GroupRecord g) => new
    {
        id = g.Id,
        displayName = g.DisplayName,
        groupType = g.Kind == GroupKind.User ? "user" : "device",
        members = g.Members,
    };
}
