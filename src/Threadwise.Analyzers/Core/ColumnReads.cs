using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Threadwise.Core;

/// <summary>
/// A data reader's column reads — <c>IsDBNull</c>, <c>GetFieldValue</c>, <c>GetValue(s)</c> and the typed
/// getters (<c>GetInt32</c>, <c>GetString</c> …) — on a <c>DbDataReader</c> or a class derived from it.
/// Once <c>Read</c>/<c>ReadAsync</c> returns, the row is buffered and these read memory; their async
/// forms help only under <c>CommandBehavior.SequentialAccess</c>. Neither TW1004 nor the helper
/// summaries of TW1006 count them as blocking, also inside a provider's own reader (Npgsql's
/// <c>GetBoolean</c> seeks to the column, which under sequential access may read the socket).
/// </summary>
internal static class ColumnReads
{
    private static readonly ImmutableHashSet<string> Names = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "IsDBNull", "GetFieldValue", "GetValue", "GetValues", "GetBoolean", "GetByte", "GetChar", "GetDateTime",
        "GetDecimal", "GetDouble", "GetFloat", "GetGuid", "GetInt16", "GetInt32", "GetInt64", "GetString");

    public static bool IsColumnRead(IMethodSymbol method, KnownSymbols symbols)
        => Names.Contains(method.Name)
           && !method.IsStatic
           && KnownSymbols.IsOrDerivesFrom((method.ReducedFrom ?? method).ContainingType?.OriginalDefinition, symbols.DbDataReader);
}
