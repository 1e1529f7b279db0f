using MockMdm.Enrollment;
using MockMdm.OmaDm;
using MockMdm.Store;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Hardening;

/// <summary>Issue 16 item 3: finding the device of a request costs one index lookup, whatever the token.</summary>
public class DeviceLookupTests
{
    /// <summary>A view that counts what the lookup reads and refuses to list devices.</summary>
    private sealed class CountingView(IStoreView inner) : IStoreView
    {
        public int Finds { get; private set; }

        public T? Find<T>(string id) where T : class, IStoreRecord
        {
            Finds++;
            return inner.Find<T>(id);
        }

        public IReadOnlyList<T> List<T>() where T : class, IStoreRecord =>
            throw new AssertionException($"the lookup listed every {typeof(T).Name}");

        public IReadOnlyList<T> ListByOwner<T>(string owner) where T : class, IStoreRecord =>
            throw new AssertionException("the lookup listed records by owner");

        public IReadOnlyList<T> ListByOwner<T>(string owner, string tag) where T : class, IStoreRecord =>
            throw new AssertionException("the lookup listed records by owner and tag");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AnUnknownToken_CostsOneIndexLookup_AndNoScan(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        await mdm.EnrollAsync();

        var finds = mdm.Store.Read(v =>
        {
            var counting = new CountingView(v);
            Assert.That(OmaDmEndpoint.FindDevice(counting, null, "no-such-token"), Is.Null);
            Assert.That(OmaDmEndpoint.FindDevice(counting, "00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF", null), Is.Null);
            return counting.Finds;
        });

        Assert.That(finds, Is.EqualTo(2), "one index lookup per unknown key");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ADeviceStoredWithoutItsIndex_IsIndexedAtStart_AndFoundByItsToken(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mockmdm-index-{Guid.NewGuid():N}.db");
        try
        {
            string token;
            await using (var first = await TestMdm.StartAsync(databasePath: path))
            {
                var enrollment = await first.EnrollAsync();
                token = System.Web.HttpUtility.ParseQueryString(enrollment.ManagementServerUrl.Query)["devicetoken"]!;
                // A store written before the index existed: the device's key records are missing.
                first.Store.Write(tx =>
                {
                    foreach (var key in tx.List<DeviceKeyRecord>())
                    {
                        tx.Delete<DeviceKeyRecord>(key.Id);
                    }
                });
            }

            await using var second = await TestMdm.StartAsync(databasePath: path);
            var found = second.Store.Read(v => OmaDmEndpoint.FindDevice(new CountingView(v), null, token));
            Assert.That(found, Is.Not.Null, "the start re-built the index");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }
}
