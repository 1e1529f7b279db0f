namespace DeviceAgent.SyncML.Tests;
