namespace MockMdm.Tests;
