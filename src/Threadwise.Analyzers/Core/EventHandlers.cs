using Microsoft.CodeAnalysis;

namespace Threadwise.Core;

/// <summary>Event-handler shapes, where async void is the accepted form.</summary>
internal static class EventHandlers
{
    /// <summary><c>(object sender, EventArgs e)</c>, with any EventArgs-derived second parameter.</summary>
    public static bool HasEventHandlerShape(IMethodSymbol method, KnownSymbols symbols)
        => method.Parameters.Length == 2
           && method.Parameters[0].Type.SpecialType == SpecialType.System_Object
           && KnownSymbols.IsOrDerivesFrom(method.Parameters[1].Type, symbols.EventArgs);
}
