using System.Globalization;
using System.Text.Json;
using MockMdm.Profiles;
using MockMdm.Store;

namespace MockMdm.Api;

/// <summary>/api/deviceManagement/deviceConfigurations: custom OMA-URI profiles, assignments and per-device status.</summary>
internal static class DeviceConfigurationsApi
{
    private const string CustomConfigurationType = "#microsoft.graph.windows10CustomConfiguration";

    public static void Map(RouteGroupBuilder api)
    {
        var configs = api.MapGroup("/deviceManagement/deviceConfigurations");
        configs.MapGet("", (IMdmStore store) =>
            Results.Json(new { value = store.Read(v => v.List<ConfigurationRecord>().Select(Render).ToList()) }));
        configs.MapGet("/{id}", (string id, IMdmStore store) =>
            store.Find<ConfigurationRecord>(id) is { } c ? Results.Json(Render(c)) : NotFound(id));
        configs.MapPost("", CreateAsync);
        configs.MapPatch("/{id}", UpdateAsync);
        configs.MapDelete("/{id}", (string id, IMdmStore store, ProfileService profiles) => store.Write(tx =>
        {
            if (!tx.Delete<ConfigurationRecord>(id))
            {
                return NotFound(id);
            }

            foreach (var a in tx.ListByOwner<AssignmentRecord>(id))
            {
                tx.Delete<AssignmentRecord>(a.Id);
            }

            profiles.Reconcile(tx, id);
            return Results.NoContent();
        }));
        configs.MapPost("/{id}/assign", AssignAsync);
        configs.MapGet("/{id}/assignments", (string id, IMdmStore store) => store.Read(v => v.Find<ConfigurationRecord>(id) is null
            ? NotFound(id)
            : Results.Json(new { value = v.ListByOwner<AssignmentRecord>(id).Select(RenderAssignment).ToList() })));
        configs.MapGet("/{id}/deviceStatuses", (string id, IMdmStore store) => store.Read(v => v.Find<ConfigurationRecord>(id) is null
            ? NotFound(id)
            : Results.Json(new { value = v.ListByOwner<ProfileDeviceStatusRecord>(id).Select(s => RenderStatus(v, s)).ToList() })));
        configs.MapGet("/{id}/deviceStatusOverview", (string id, IMdmStore store) => store.Read(v => v.Find<ConfigurationRecord>(id) is null
            ? NotFound(id)
            : Results.Json(Overview(v.ListByOwner<ProfileDeviceStatusRecord>(id)))));
    }

    private static IResult NotFound(string id) => ApiSupport.NotFound($"device configuration '{id}' does not exist");

    private static async Task<IResult> CreateAsync(HttpRequest request, IMdmStore store, IdGenerator ids, MockMdmOptions options)
    {
        var (body, error) = await ApiSupport.ReadObjectAsync(request).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var type = ApiSupport.OptionalString(body, "@odata.type", errors);
        if (type is not null && type != CustomConfigurationType)
        {
            errors.Add($"'@odata.type' must be {CustomConfigurationType} (the only configuration type this server has)");
        }

        var name = ApiSupport.OptionalString(body, "displayName", errors);
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add("'displayName' is required");
        }

        var settings = ReadSettings(body, errors);
        var types = ApiSupport.OptionalStrings(body, "supportedDeviceTypes", errors) ?? [];
        var description = ApiSupport.OptionalString(body, "description", errors);
        if (errors.Count > 0)
        {
            return ApiSupport.BadRequest(string.Join("; ", errors));
        }

        var now = options.TimeProvider.GetUtcNow();
        var record = new ConfigurationRecord
        {
            Id = ids.NewId(),
            DisplayName = name!,
            Description = description,
            OmaSettings = settings!,
            SupportedDeviceTypes = types,
            Warnings = settings!.SelectMany(s => OmaUriRules.Warnings(s, options.TenantId)).ToList(),
            CreatedDateTime = now,
            LastModifiedDateTime = now,
        };
        store.Write(tx => tx.Put(record));
        return Results.Json(Render(record), statusCode: 201);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, IMdmStore store, ProfileService profiles, MockMdmOptions options)
    {
        var (body, error) = await ApiSupport.ReadObjectAsync(request).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var name = ApiSupport.OptionalString(body, "displayName", errors);
        var description = ApiSupport.OptionalString(body, "description", errors);
        var settings = body.TryGetProperty("omaSettings", out _) ? ReadSettings(body, errors) : null;
        var types = ApiSupport.OptionalStrings(body, "supportedDeviceTypes", errors);
        if (name is not null && name.Trim().Length == 0)
        {
            errors.Add("'displayName' must not be empty");
        }

        if (errors.Count > 0)
        {
            return ApiSupport.BadRequest(string.Join("; ", errors));
        }

        return store.Write(tx =>
        {
            if (tx.Find<ConfigurationRecord>(id) is not { } record)
            {
                return NotFound(id);
            }

            record.DisplayName = name ?? record.DisplayName;
            record.Description = description ?? record.Description;
            if (settings is not null || types is not null)
            {
                record.OmaSettings = settings ?? record.OmaSettings;
                record.SupportedDeviceTypes = types ?? record.SupportedDeviceTypes;
                record.Warnings = record.OmaSettings.SelectMany(s => OmaUriRules.Warnings(s, options.TenantId)).ToList();
                record.Version++;
            }

            record.LastModifiedDateTime = options.TimeProvider.GetUtcNow();
            tx.Put(record);
            profiles.Reconcile(tx, id);
            return Results.Json(Render(record));
        });
    }

    private static async Task<IResult> AssignAsync(string id, HttpRequest request, IMdmStore store, ProfileService profiles, IdGenerator ids)
    {
        var (body, error) = await ApiSupport.ReadObjectAsync(request).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        if (!body.TryGetProperty("assignments", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return ApiSupport.BadRequest("the body must have an 'assignments' array");
        }

        var targets = new List<(AssignmentTargetKind Kind, string? GroupId)>();
        var errors = new List<string>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var where = $"assignments[{index++}]";
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{where} must be an object with a 'target' object");
                continue;
            }

            var type = ApiSupport.OptionalString(target, "@odata.type", errors);
            switch (type)
            {
                case "#microsoft.graph.allDevicesAssignmentTarget":
                    targets.Add((AssignmentTargetKind.AllDevices, null));
                    break;
                case "#microsoft.graph.allLicensedUsersAssignmentTarget":
                    targets.Add((AssignmentTargetKind.AllLicensedUsers, null));
                    break;
                case "#microsoft.graph.groupAssignmentTarget":
                    var groupId = ApiSupport.OptionalString(target, "groupId", errors);
                    if (string.IsNullOrEmpty(groupId))
                    {
                        errors.Add($"{where}.target needs a 'groupId'");
                    }
                    else if (store.Find<GroupRecord>(groupId) is null)
                    {
                        errors.Add($"{where}.target.groupId '{groupId}' is not a group (create it under /api/groups)");
                    }
                    else
                    {
                        targets.Add((AssignmentTargetKind.Group, groupId));
                    }

                    break;
                default:
                    errors.Add($"{where}.target '@odata.type' must be #microsoft.graph.groupAssignmentTarget, allDevicesAssignmentTarget or allLicensedUsersAssignmentTarget, not '{type}'");
                    break;
            }
        }

        if (errors.Count > 0)
        {
            return ApiSupport.BadRequest(string.Join("; ", errors));
        }

        return store.Write(tx =>
        {
            if (tx.Find<ConfigurationRecord>(id) is null)
            {
                return NotFound(id);
            }

            // Graph's assign replaces the whole assignment list.
            foreach (var old in tx.ListByOwner<AssignmentRecord>(id))
            {
                tx.Delete<AssignmentRecord>(old.Id);
            }

            var created = targets.Select(t => new AssignmentRecord { Id = ids.NewId(), ConfigurationId = id, Kind = t.Kind, GroupId = t.GroupId }).ToList();
            created.ForEach(tx.Put);
            profiles.Reconcile(tx, id);
            return Results.Json(new { value = created.Select(RenderAssignment).ToList() });
        });
    }

    private static List<OmaSetting>? ReadSettings(JsonElement body, List<string> errors)
    {
        if (!body.TryGetProperty("omaSettings", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            errors.Add("'omaSettings' must be an array");
            return null;
        }

        var settings = new List<OmaSetting>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var where = $"omaSettings[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{where} must be an object");
                continue;
            }

            var local = new List<string>();
            var type = ApiSupport.OptionalString(item, "@odata.type", local);
            var name = ApiSupport.OptionalString(item, "displayName", local);
            var description = ApiSupport.OptionalString(item, "description", local);
            var uri = ApiSupport.OptionalString(item, "omaUri", local);
            OmaDataType? dataType = type switch
            {
                "#microsoft.graph.omaSettingBoolean" => OmaDataType.Boolean,
                "#microsoft.graph.omaSettingInteger" => OmaDataType.Integer,
                "#microsoft.graph.omaSettingString" => OmaDataType.String,
                _ => null,
            };
            if (dataType is null)
            {
                local.Add($"'@odata.type' must be #microsoft.graph.omaSettingBoolean, omaSettingInteger or omaSettingString, not '{type}'");
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                local.Add("'displayName' is required");
            }

            if (OmaUriRules.UriError(uri) is { } uriError)
            {
                local.Add(uriError);
            }

            string? value = null;
            if (!item.TryGetProperty("value", out var raw))
            {
                local.Add("'value' is required");
            }
            else
            {
                value = raw.ValueKind switch
                {
                    JsonValueKind.String => raw.GetString(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Number => raw.GetRawText(),
                    _ => null,
                };
                if (value is null)
                {
                    local.Add("'value' must be a string, number or boolean");
                }
                else if (dataType is { } dt && OmaUriRules.ValueError(dt, value) is { } valueError)
                {
                    local.Add(valueError);
                }
            }

            if (local.Count > 0)
            {
                errors.AddRange(local.Select(e => $"{where}: {e}"));
                continue;
            }

            settings.Add(new OmaSetting(name!, description, uri!, dataType!.Value,
                dataType == OmaDataType.Boolean ? bool.Parse(value!).ToString().ToLowerInvariant() : value!));
        }

        return settings;
    }

    private static object Render(ConfigurationRecord c) => new Dictionary<string, object?>
    {
        ["@odata.type"] = CustomConfigurationType,
        ["id"] = c.Id,
        ["displayName"] = c.DisplayName,
        ["description"] = c.Description,
        ["version"] = c.Version,
        ["createdDateTime"] = c.CreatedDateTime,
        ["lastModifiedDateTime"] = c.LastModifiedDateTime,
        ["supportedDeviceTypes"] = c.SupportedDeviceTypes,
        ["warnings"] = c.Warnings,
        ["omaSettings"] = c.OmaSettings.Select(s => new Dictionary<string, object?>
        {
            ["@odata.type"] = "#microsoft.graph.omaSetting" + s.DataType,
            ["displayName"] = s.DisplayName,
            ["description"] = s.Description,
            ["omaUri"] = s.OmaUri,
            ["value"] = s.DataType switch
            {
                OmaDataType.Boolean => bool.Parse(s.Value),
                OmaDataType.Integer => int.Parse(s.Value, CultureInfo.InvariantCulture),
                _ => s.Value,
            },
        }).ToList(),
    };

    private static object RenderAssignment(AssignmentRecord a) => new Dictionary<string, object?>
    {
        ["id"] = a.Id,
        ["target"] = a.Kind switch
        {
            AssignmentTargetKind.AllDevices => new Dictionary<string, object?> { ["@odata.type"] = "#microsoft.graph.allDevicesAssignmentTarget" },
            AssignmentTargetKind.AllLicensedUsers => new Dictionary<string, object?> { ["@odata.type"] = "#microsoft.graph.allLicensedUsersAssignmentTarget" },
            _ => new Dictionary<string, object?> { ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget", ["groupId"] = a.GroupId },
        },
    };

    private static Dictionary<string, object?> RenderStatus(IStoreView view, ProfileDeviceStatusRecord s)
    {
        var device = view.Find<Enrollment.DeviceRecord>(s.DeviceId);
        return new Dictionary<string, object?>
        {
            ["id"] = s.Id,
            ["deviceId"] = s.DeviceId,
            ["deviceDisplayName"] = device?.DeviceName,
            ["userPrincipalName"] = device?.UserPrincipalName,
            ["deviceType"] = device?.DeviceType,
            ["status"] = s.State switch
            {
                ProfileDeviceState.Pending => "pending",
                ProfileDeviceState.Succeeded => "succeeded",
                ProfileDeviceState.Failed => "failed",
                _ => "notApplicable",
            },
            ["deviceStatusCode"] = s.DeviceStatusCode,
            ["errorCode"] = s.DeviceStatusCode is { } code ? Actions.DeviceActionService.SyncMLErrorBase + code : 0,
            ["reason"] = s.Reason,
            ["assignedThroughUserGroup"] = s.ViaUserGroup,
            ["lastReportedDateTime"] = s.LastReportedDateTime,
        };
    }

    /// <summary>
    /// Counts per state. consoleSuccessCount adds the not-applicable devices reached through user groups to the
    /// successes, as the Intune console's summary did, so the inflated figure is visible next to the true one.
    /// </summary>
    private static Dictionary<string, object?> Overview(IReadOnlyList<ProfileDeviceStatusRecord> statuses)
    {
        int Count(ProfileDeviceState state) => statuses.Count(s => s.State == state);
        var success = Count(ProfileDeviceState.Succeeded);
        return new Dictionary<string, object?>
        {
            ["pendingCount"] = Count(ProfileDeviceState.Pending),
            ["successCount"] = success,
            ["failedCount"] = Count(ProfileDeviceState.Failed),
            ["notApplicableCount"] = Count(ProfileDeviceState.NotApplicable),
            ["notApplicableViaUserGroupCount"] = statuses.Count(s => s.State == ProfileDeviceState.NotApplicable && s.ViaUserGroup),
            ["consoleSuccessCount"] = success + statuses.Count(s => s.State == ProfileDeviceState.NotApplicable && s.ViaUserGroup),
        };
    }
}
