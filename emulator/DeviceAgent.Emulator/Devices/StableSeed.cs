namespace DeviceAgent.Emulator.Devices;

/// <summary>Derives per-device seeds that are the same in every process (string.GetHashCode is randomized per process).</summary>
public static class StableSeed
{
    public static int For(int runSeed, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        // FNV-1a over the run seed and the name's UTF-16 code units.
        var hash = 2166136261u;
        void Mix(uint value)
        {
            hash ^= value;
            hash *= 16777619u;
        }

        Mix(unchecked((uint)runSeed));
        foreach (var c in name)
        {
            Mix(c);
        }

        return unchecked((int)hash);
    }
}
